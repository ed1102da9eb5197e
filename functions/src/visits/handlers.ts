import { visitsOf } from '@gridline/data/visits';
import type { RouteRequest } from '../pipeline/route';
import type { visitRoutes } from './routes';

// The household visits' routes: loaded on the first such request.
type R<K extends keyof typeof visitRoutes> = RouteRequest<(typeof visitRoutes)[K]>;

export const visitsDue = async ({ principal, query, now }: R<'visitsDue'>) => ({ body: await visitsOf(principal).dueList(query, now) });
export const visitHousehold = async ({ principal, params, now }: R<'visitHousehold'>) => ({
  body: await visitsOf(principal).household(params.gridId, params.householdId, now),
});
export const recordVisit = async ({ principal, body, now }: R<'recordVisit'>) => {
  const visit = await visitsOf(principal).record(body, now);
  return { status: visit.replayed ? 200 : 201, body: visit };
};
export const myVisits = async ({ principal, query }: R<'myVisits'>) => ({ body: await visitsOf(principal).mine(query) });
