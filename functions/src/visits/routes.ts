import {
  VISITS_READ,
  VISITS_WRITE,
  visitBodySchema,
  visitDuePageSchema,
  visitDueQuerySchema,
  visitHouseholdParamsSchema,
  visitHouseholdSchema,
  visitMineQuerySchema,
  visitPageSchema,
  visitViewSchema,
} from '@gridline/domain';
import type { RouteSpec } from '../spec';

/** A town route over household visits: households and people are personal, so never cached. */
const visits = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

/**
 * Household visits (下户走访, issue 14): the due lists of a grid or community, a household's visit page,
 * recording a visit (made on the device, so the same id again is answered from the store) and the
 * caller's own visits. Coordinators reach their grids, staff their communities (the book's scope).
 */
export const visitRoutes = {
  visitsDue: visits({
    id: 'visits.due',
    response: visitDuePageSchema,
    method: 'GET',
    path: '/town/visits/due',
    roles: VISITS_READ,
    query: visitDueQuerySchema,
    summary: 'The households of a grid or a community due by a day (today by default), most overdue first: one Query',
  }),
  visitHousehold: visits({
    id: 'visits.household',
    response: visitHouseholdSchema,
    method: 'GET',
    path: '/town/visits/households/{gridId}/{householdId}',
    roles: VISITS_READ,
    params: visitHouseholdParamsSchema,
    summary: 'A household to visit: its cycle and due, its members (masked), its latest ten visits',
  }),
  recordVisit: visits({
    id: 'visits.record',
    success: [201, 200],
    response: visitViewSchema,
    method: 'POST',
    path: '/town/visits',
    roles: VISITS_WRITE,
    body: visitBodySchema,
    summary: 'Record a visit made on the device (201); the same visit id again answers the stored visit (200, replayed)',
  }),
  myVisits: visits({
    id: 'visits.mine',
    response: visitPageSchema,
    method: 'GET',
    path: '/town/visits',
    roles: VISITS_READ,
    query: visitMineQuerySchema,
    summary: 'The caller’s own visits, newest first',
  }),
} as const;
