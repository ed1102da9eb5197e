import { teamOf } from '@gridline/data/team';
import type { RouteRequest } from '../pipeline/route';
import type { teamRoutes } from './routes';
import { stepWithSignIn } from './sign-in';

// The team's routes: loaded on the first such request.
type R<K extends keyof typeof teamRoutes> = RouteRequest<(typeof teamRoutes)[K]>;

export const listTeam = async ({ principal, query }: R<'listTeam'>) => ({ body: await teamOf(principal).list(query.limit, query.cursor) });
export const recommendCandidate = async ({ principal, body, now }: R<'recommendCandidate'>) => ({
  status: 201,
  body: await teamOf(principal).step(undefined, { kind: 'recommend', body }, now),
});
export const getTeamMember = async ({ principal, params }: R<'getTeamMember'>) => ({
  body: await teamOf(principal).get(params.coordinatorId),
});
export const inspectCandidate = async ({ principal, params, body, now }: R<'inspectCandidate'>) => ({
  body: await teamOf(principal).step(params.coordinatorId, { kind: 'inspect', body }, now),
});
export const trainCandidate = async ({ principal, params, body, now }: R<'trainCandidate'>) => ({
  body: await teamOf(principal).step(params.coordinatorId, { kind: 'train', body }, now),
});
export const appointCoordinator = async ({ principal, params, body, now }: R<'appointCoordinator'>) => ({
  body: await stepWithSignIn(principal, params.coordinatorId, 'appoint', body, now),
});
export const transferCoordinator = async ({ principal, params, body, now }: R<'transferCoordinator'>) => ({
  body: await stepWithSignIn(principal, params.coordinatorId, 'transfer', body, now),
});
export const recordLeave = async ({ principal, params, body, now }: R<'recordLeave'>) => ({
  body: await stepWithSignIn(principal, params.coordinatorId, 'leave', body, now),
});
export const dismissCoordinator = async ({ principal, params, body, now }: R<'dismissCoordinator'>) => ({
  body: await stepWithSignIn(principal, params.coordinatorId, 'dismiss', body, now),
});
export const overrideStep = async ({ principal, params, body, now }: R<'overrideStep'>) => ({
  body: await teamOf(principal).step(params.coordinatorId, { kind: 'override', body }, now),
});
export const getCoverage = async ({ principal, params }: R<'getCoverage'>) => ({
  body: await teamOf(principal).coverage(params.communityId),
});
export const nameResponsible = async ({ principal, params, body, now }: R<'nameResponsible'>) => ({
  body: await teamOf(principal).nameResponsible(params.gridId, body.coordinatorId, now),
});
