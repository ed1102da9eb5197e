import type { TownPrincipal } from '@gridline/domain';

/**
 * The demo's workflow seeds (matters, mediation) act as the town's own accounts: the coordinator of the
 * first grid, its community's station and the town admin. These are those principals, built as a
 * verified token would give them to a handler.
 */

/** Where a workflow's demo happens: the first grid, its community, its coordinator's and station's sign-ins. */
export type DemoPlace = { gridId: string; communityId: string; coordinator: string; station: string };

/** A town principal of the demo, as its token's claims would make it. */
export const demoPrincipal = (
  townId: string,
  username: string,
  role: TownPrincipal['role'],
  communities: string[],
  grids: string[],
): TownPrincipal => ({ kind: 'town', userId: username, username, role, townId, scope: { communities, grids } });

/** The three accounts a workflow's demo acts as. */
export const demoActors = (townId: string, adminUsername: string, place: DemoPlace) => ({
  grid: demoPrincipal(townId, place.coordinator, 'grid_coordinator', [place.communityId], [place.gridId]),
  station: demoPrincipal(townId, place.station, 'community_staff', [place.communityId], []),
  admin: demoPrincipal(townId, adminUsername, 'town_admin', [], []),
});
