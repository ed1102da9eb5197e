import { forTown } from '@gridline/data';
import { TOWN_ROLES, townIdParams } from '@gridline/domain';
import { implement, type RouteSpec } from '@gridline/functions/testing';

/**
 * A deliberately broken route for proving the isolation suite bites: it takes the town from the path
 * instead of the token. It exists only in tests and is never in the route table.
 */
export const leakySpec = {
  id: 'fixture.leaky',
  method: 'GET',
  path: '/town/leaky/{townId}/hierarchy',
  area: 'town',
  audience: 'town',
  roles: TOWN_ROLES,
  params: townIdParams,
  summary: 'Fixture: reads the town from the path (wrong on purpose)',
} as const satisfies RouteSpec;

export const leakyRoute = implement(leakySpec, async ({ params }) => ({ body: await forTown(params.townId).hierarchy() }));
