import type { CountyPrincipal, TownPrincipal } from '@gridline/domain';
import type { RouteSpec } from '../routes';
import { logger } from './log';
import { principalOf } from './parse';
import { type Middleware, stateOf } from './state';

/** Who is calling, from the verified claims only: 401/403 before anything else is looked at. */
export const principalMiddleware = (spec: RouteSpec): Middleware => ({
  before: (request) => {
    const state = stateOf(request.event, spec);
    state.principal = principalOf(request.event, spec) as CountyPrincipal | TownPrincipal | undefined;
    if (state.principal?.kind === 'town') logger.appendKeys({ townId: state.principal.townId });
  },
});
