import { forTown, type TownMeta } from '@gridline/data';
import { AppError, isRevoked } from '@gridline/domain';
import type { RouteSpec } from '../routes';
import { inScope } from './scope';
import { type Middleware, stateOf } from './state';

/**
 * The caller's town, refused unless provisioned and active, and the caller's token refused if it was
 * issued before their sign-in was revoked (a dismissal, leave or transfer: decision 67): one eventually
 * consistent read per request, the town's status item, which carries the revocation list.
 */
export async function activeTown(townId: string, caller?: { username: string; iat: number | undefined }): Promise<TownMeta> {
  const found = await forTown(townId).access();
  if (!found) throw new AppError('tenant.unknown', 403, 'Your town is not provisioned.');
  const { meta, revoked } = found;
  if (meta.status !== 'active') throw new AppError('tenant.suspended', 403, 'Your town is suspended; contact county IT.');
  if (caller && isRevoked(revoked, caller.username, caller.iat))
    throw new AppError('auth.revoked', 401, 'Your sign-in was ended or changed by your town; sign in again.');
  return meta;
}

/** The token's issue time (`iat`, seconds) among the verified claims, if it has one. */
function issuedAt(claims: Record<string, unknown> | undefined): number | undefined {
  const iat = Number(claims?.iat);
  return claims?.iat === undefined || !Number.isFinite(iat) ? undefined : iat;
}

/**
 * A suspended or unknown town is refused: 403 whatever it sends; a revoked token, 401. A write waits for the check before its
 * input is even read. A read (GET) does not wait: its status check runs alongside the route's own reads
 * (one round trip less), every DynamoDB write of the request waits for the check (the scope's write
 * gate), the answer waits for it too, and a refusal replaces whatever else the request produced, its
 * body or its error (bad input, a missing grid). So a refused town sees exactly what it saw before.
 */
export const activeTownMiddleware = (spec: RouteSpec): Middleware => ({
  before: async (request) => {
    const state = stateOf(request.event, spec);
    const principal = state.principal;
    if (principal?.kind !== 'town') return;
    const iat = issuedAt(request.event.requestContext?.authorizer?.jwt?.claims);
    const check = inScope(state, () => activeTown(principal.townId, { username: principal.username, iat }));
    if (spec.method !== 'GET') {
      state.town = await check;
      return;
    }
    // Awaited by the handler (route.ts) or by onError below; until then its failure is not unhandled.
    check.catch(() => undefined);
    state.townCheck = check;
    if (state.scope) state.scope.writeGate = check;
  },
  onError: async (request) => {
    const pending = stateOf(request.event, spec).townCheck;
    if (!pending) return;
    try {
      await pending;
    } catch (refusal) {
      request.error = refusal as Error;
    }
  },
});

/**
 * Runs a GET's implementation alongside its pending town check; the check's refusal wins over the
 * route's answer and its error alike. Without a pending check, it just runs the implementation.
 */
export async function afterTownCheck<T>(state: { townCheck?: Promise<TownMeta>; town?: TownMeta }, run: () => Promise<T>): Promise<T> {
  if (!state.townCheck) return run();
  const [town, result] = await Promise.allSettled([state.townCheck, run()]);
  if (town.status === 'rejected') throw town.reason;
  state.town = town.value;
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
