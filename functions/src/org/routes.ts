import {
  communityChangeSchema,
  communityViewSchema,
  coordinatorSchema,
  courtyardChangeSchema,
  courtyardMoveSchema,
  courtyardViewSchema,
  entityIdSchema,
  gridChangeSchema,
  gridMoveSchema,
  gridViewSchema,
  newCommunitySchema,
  newCourtyardSchema,
  newGridSchema,
  orgEventSchema,
  orgRecordParams,
  pageOf,
  retireSchema,
  TOWN_ADMIN,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { define, pageQuery, type RouteSpec, TOWN_ANY } from '../spec';

const communityParams = z.strictObject({ communityId: entityIdSchema });
const gridParams = z.strictObject({ gridId: entityIdSchema });
const courtyardParams = z.strictObject({ courtyardId: entityIdSchema });

/** A town-admin route that changes the org chart. */
const orgChange = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'roles'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', roles: TOWN_ADMIN }) as const;

/** The org chart's changes: communities, grids (with their coordinator) and courtyards. The chart itself is read by `town.hierarchy` (towns). */
export const orgChanges = {
  createCommunity: orgChange({
    id: 'org.community.create',
    success: [201],
    response: communityViewSchema,
    method: 'POST',
    path: '/town/communities',
    body: newCommunitySchema,
    summary: 'Add a community or village',
  }),
  renameCommunity: orgChange({
    id: 'org.community.rename',
    response: communityViewSchema,
    method: 'PATCH',
    path: '/town/communities/{communityId}',
    params: communityParams,
    body: communityChangeSchema,
    summary: 'Rename a community',
  }),
  retireCommunity: orgChange({
    id: 'org.community.retire',
    response: communityViewSchema,
    method: 'POST',
    path: '/town/communities/{communityId}/retire',
    params: communityParams,
    body: retireSchema,
    summary: 'Retire a community (its records stay)',
  }),
  createGrid: orgChange({
    id: 'org.grid.create',
    success: [201],
    response: gridViewSchema,
    method: 'POST',
    path: '/town/grids',
    body: newGridSchema,
    summary: 'Add a grid to a community',
  }),
  changeGrid: orgChange({
    id: 'org.grid.change',
    response: gridViewSchema,
    method: 'PATCH',
    path: '/town/grids/{gridId}',
    params: gridParams,
    body: gridChangeSchema,
    summary: 'Rename a grid, change its code or boundary',
  }),
  moveGrid: orgChange({
    id: 'org.grid.move',
    response: gridViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/move',
    params: gridParams,
    body: gridMoveSchema,
    summary: 'Move a grid to another community',
  }),
  retireGrid: orgChange({
    id: 'org.grid.retire',
    response: gridViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/retire',
    params: gridParams,
    body: retireSchema,
    summary: 'Retire a grid (its records stay)',
  }),
  assignCoordinator: orgChange({
    id: 'org.grid.coordinator',
    response: gridViewSchema,
    method: 'PUT',
    path: '/town/grids/{gridId}/coordinator',
    params: gridParams,
    body: coordinatorSchema,
    summary: "Name the grid's coordinator (定人)",
  }),
  createCourtyard: orgChange({
    id: 'org.courtyard.create',
    success: [201],
    response: courtyardViewSchema,
    method: 'POST',
    path: '/town/courtyards',
    body: newCourtyardSchema,
    summary: 'Add a courtyard or building to a grid',
  }),
  renameCourtyard: orgChange({
    id: 'org.courtyard.rename',
    response: courtyardViewSchema,
    method: 'PATCH',
    path: '/town/courtyards/{courtyardId}',
    params: courtyardParams,
    body: courtyardChangeSchema,
    summary: 'Rename a courtyard',
  }),
  moveCourtyard: orgChange({
    id: 'org.courtyard.move',
    response: courtyardViewSchema,
    method: 'POST',
    path: '/town/courtyards/{courtyardId}/move',
    params: courtyardParams,
    body: courtyardMoveSchema,
    summary: 'Move a courtyard to another grid',
  }),
  retireCourtyard: orgChange({
    id: 'org.courtyard.retire',
    response: courtyardViewSchema,
    method: 'POST',
    path: '/town/courtyards/{courtyardId}/retire',
    params: courtyardParams,
    body: retireSchema,
    summary: 'Retire a courtyard (its records stay)',
  }),
} as const;

/** The history of one record of the org chart. */
export const orgReads = {
  orgHistory: define({
    id: 'org.history',
    response: pageOf(orgEventSchema),
    method: 'GET',
    path: '/town/org/{kind}/{id}/history',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    params: orgRecordParams,
    query: pageQuery,
    summary: 'History of a community, grid or courtyard',
  }),
} as const;
