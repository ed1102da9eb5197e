import { forTown, type TownMeta } from '@gridline/data';
import { AppError } from '@gridline/domain';
import type { RouteSpec } from '../routes';
import { inScope } from './scope';
import { type Middleware, stateOf } from './state';

/** The caller's town, refused unless provisioned and active: one eventually consistent read per request. */
export async function activeTown(townId: string): Promise<TownMeta> {
  const meta = await forTown(townId).meta();
  if (!meta) throw new AppError('tenant.unknown', 403, 'Your town is not provisioned.');
  if (meta.status !== 'active') throw new AppError('tenant.suspended', 403, 'Your town is suspended; contact county IT.');
  return meta;
}

/** A suspended or unknown town is refused before its input is even read: 403 whatever it sends. */
export const activeTownMiddleware = (spec: RouteSpec): Middleware => ({
  before: async (request) => {
    const state = stateOf(request.event, spec);
    const principal = state.principal;
    if (principal?.kind !== 'town') return;
    state.town = await inScope(state, () => activeTown(principal.townId));
  },
});
