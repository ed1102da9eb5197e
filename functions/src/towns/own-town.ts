import { forTown } from '@gridline/data';
import type { RouteRequest } from '../pipeline/route';
import type { ownTown } from './routes';

// A town's view of itself: bound when the town function loads (only the town's own items, which every
// town request reads anyway).
type Town<K extends keyof typeof ownTown> = RouteRequest<(typeof ownTown)[K]>;

export const me = async ({ principal, town }: Town<'me'>) => ({
  body: { user: { username: principal.username, role: principal.role, scope: principal.scope }, town: await town },
});

export const hierarchy = async ({ principal }: Town<'hierarchy'>) => ({ body: await forTown(principal.townId).hierarchy() });

export const townConfig = async ({ principal }: Town<'townConfig'>) => ({ body: await forTown(principal.townId).config() });

export const townSummary = async ({ principal }: Town<'townSummary'>) => ({ body: await forTown(principal.townId).counters() });

// The recount reads the whole town: loaded on its first use, so it stays out of the cold start.
export const reconcileTown = async ({ principal, body, now }: Town<'reconcileTown'>) => {
  const { reconcileTown: recount } = await import('@gridline/data/recount');
  return { body: await recount(principal.townId, { now, fix: body.fix, actor: principal.username }) };
};

export const staff = async ({ principal, query }: Town<'staff'>) => ({
  body: await forTown(principal.townId).staffPage(query.limit, query.cursor),
});
