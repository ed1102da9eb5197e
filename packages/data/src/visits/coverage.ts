import {
  AppError,
  type VisitCoverage,
  type VisitCoverageQuery,
  type CoverageRow,
  coverageRow,
  sumRows,
  type TownPrincipal,
  visitDay,
} from '@gridline/domain';
import { townKeys } from '../keys';
import { batchGetAll, getItem, type Item, queryAll } from '../ops';

type OrgItem = { type?: string; communityId?: string; gridId?: string; status?: string };

/**
 * Visit coverage from maintained counters only (`@gridline/data/visits/coverage`): the town's `TOWN`
 * counter item and its grids' `GRID#<grid>` items (`visit_households`, `visit_overdue`); a community is
 * the sum of its grids. No visit state is read, so a town of any size answers in one Query of its org
 * chart and one batch of counter items.
 */
export function coverageOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const k = townKeys(townId);
  const wholeTown = principal.role === 'town_admin' || (principal.role === 'auditor' && principal.scope.communities.length === 0);

  /** Whether the caller reads a grid's numbers (coordinators their grids, staff and auditors their communities). */
  const readsGrid = (g: OrgItem) =>
    wholeTown ||
    (principal.role === 'grid_coordinator'
      ? principal.scope.grids.includes(String(g.gridId))
      : principal.scope.communities.includes(String(g.communityId)));

  const rowOf = (placeId: string, kind: CoverageRow['placeKind'], counters: Item | undefined) =>
    coverageRow(placeId, kind, Number(counters?.visit_households ?? 0), Number(counters?.visit_overdue ?? 0));

  return {
    /**
     * The town's coverage with a row per community, or one community's with a row per grid; a coordinator
     * gets a row per grid of theirs. The town row is the town's counters, whoever asks (numbers, no one's data).
     */
    async coverage(q: VisitCoverageQuery, now: string): Promise<VisitCoverage> {
      const org = (await queryAll<OrgItem>(k.orgPk)).filter((i) => i.status !== 'retired');
      const communities = org.filter((i) => i.type === 'Community').map((i) => String(i.communityId));
      const grids = org.filter((i) => i.type === 'Grid' && (q.communityId === undefined || i.communityId === q.communityId));
      if (q.communityId !== undefined && !communities.includes(q.communityId))
        throw new AppError('community.not_found', 404, 'No such community in this town.');
      const mine = grids.filter(readsGrid);
      if (q.communityId !== undefined && mine.length === 0 && !wholeTown && grids.length > 0)
        throw new AppError('visit.out_of_scope', 403, 'This community is not within your scope.', { field: 'query.communityId' });
      const [town, gridCounters] = await Promise.all([
        getItem<Item>(k.counters('TOWN')),
        batchGetAll<Item>(mine.map((g) => k.counters(`GRID#${g.gridId}`))),
      ]);
      const bySk = new Map(gridCounters.map((c) => [String(c.sk), c]));
      const gridRows = mine.map((g) => ({ g, row: rowOf(String(g.gridId), 'grid', bySk.get(`GRID#${g.gridId}`)) }));
      // A coordinator's rows are their grids: a community row made of some of its grids would mislead.
      const rows =
        q.communityId !== undefined || principal.role === 'grid_coordinator'
          ? gridRows.map((r) => r.row)
          : communities
              .map((c) => ({ c, here: gridRows.filter((r) => r.g.communityId === c) }))
              .filter(({ here }) => wholeTown || here.length > 0)
              .map(({ c, here }) =>
                sumRows(
                  c,
                  'community',
                  here.map((r) => r.row),
                ),
              );
      return { today: visitDay(now), town: rowOf(townId, 'town', town), rows };
    },
  };
}
