import { mediationOf } from '@gridline/data/mediation';
import { AppError } from '@gridline/domain';
import type { RouteRequest } from '../pipeline/route';
import { prepareAccount } from '../sign-in-order';
import type { mediationRoutes } from './routes';

// Mediation's routes: loaded on the first such request.
type R<K extends keyof typeof mediationRoutes> = RouteRequest<(typeof mediationRoutes)[K]>;

const mismatch = (cause: Error) =>
  new AppError(
    'mediation.account_mismatch',
    409,
    'That sign-in belongs to staff or to another town, so it cannot be an outside participant’s. Give another username.',
    { field: 'body.username', cause },
  );

/**
 * Makes sure an invited participant's account exists as this town's `participant`, with no scope, and
 * can sign in (decision 166), in the shared order of ../sign-in-order.ts: created if new (its one-time
 * password returned, when the directory makes one), enabled again if an earlier invitation's account was
 * disabled since. A username of staff or of another town is refused; an unreachable directory is a 503
 * and nothing is saved.
 */
const prepareParticipant = (townId: string, username: string, displayName: string) =>
  // No scope: an outside participant reaches cases through their invitations, never through the claim.
  prepareAccount({ username, displayName, role: 'participant', townId }, mismatch, { username }, (d) =>
    d.followStaff(username, townId, { enabled: true, role: 'participant', communityIds: [] }),
  );

export const takeInCase = async ({ principal, body, now }: R<'takeInCase'>) => {
  const { detail } = await mediationOf(principal).takeIn(body, now);
  return { status: 201, body: detail };
};
export const listCases = async ({ principal, query, now }: R<'listCases'>) => ({ body: await mediationOf(principal).list(query, now) });
export const getCase = async ({ principal, params, now }: R<'getCase'>) => ({ body: await mediationOf(principal).get(params.caseId, now) });
export const actOnCase = async ({ principal, params, body, now }: R<'actOnCase'>) => ({
  body: await mediationOf(principal).act(params.caseId, body, now, {
    prepareInvitee: (username, name) => prepareParticipant(principal.townId, username, name),
  }),
});
export const mediationSummary = async ({ principal, now }: R<'mediationSummary'>) => ({ body: await mediationOf(principal).summary(now) });
export const mediationSettings = async ({ principal }: R<'mediationSettings'>) => ({ body: await mediationOf(principal).settings() });
export const saveMediationSettings = async ({ principal, body, now }: R<'saveMediationSettings'>) => ({
  body: await mediationOf(principal).saveSettings(body, now),
});
