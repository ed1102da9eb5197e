import { teamOf } from '@gridline/data/team';
import type { RouteRequest } from '../pipeline/route';
import type { teamContacts } from './contacts-routes';

// The team's personal data and "who to call": loaded on the first such request (the vault, the book's checks).
type R<K extends keyof typeof teamContacts> = RouteRequest<(typeof teamContacts)[K]>;

export const revealTeamMember = async ({ principal, params, body, now }: R<'revealTeamMember'>) => ({
  body: await teamOf(principal).reveal(params.coordinatorId, body.field, body.reason, now),
});
export const changeTeamPhone = async ({ principal, params, body, now }: R<'changeTeamPhone'>) => ({
  body: await teamOf(principal).changePhone(params.coordinatorId, body.phone, body.version, now),
});
export const getContacts = async ({ principal, params }: R<'getContacts'>) => ({
  body: await teamOf(principal).contacts(params.communityId),
});
