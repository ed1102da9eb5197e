import { type CoverageState, type MediatorPost, MEDIATOR_POST_ID, mediatorPosts, type PostStaff } from '@gridline/domain';
import { townKeys } from '../keys';
import { forget, remembered } from '../memo';
import { batchGetAll, type Item, queryAll } from '../ops';

/**
 * What every mediation request needs to know of the town besides the case: who holds the mediation
 * posts (from the team and the staff, `mediatorPosts`), and the grids of each community (for a
 * community's list). Read with four calls and remembered a minute per process, like the matters'
 * ladder (decisions 107 and 163).
 */
export type MediationPlaces = {
  posts: MediatorPost[];
  /** Every grid ever made (retired ones too: their cases stay), by community. */
  gridsOf: ReadonlyMap<string, readonly string[]>;
};

async function load(townId: string): Promise<MediationPlaces> {
  const k = townKeys(townId);
  const [grids, communities, coverage, staff] = await Promise.all([
    queryAll<Item>(k.orgPk, 'GRID#'),
    queryAll<Item>(k.orgPk, 'COMM#'),
    queryAll<Item>(k.teamCoveragePk),
    queryAll<Item>(k.staffPk),
  ]);
  const states = coverage.map((c) => c as unknown as CoverageState);
  // Only the coordinators holding the mediator post are read again, for the account their appointment names.
  const holders = [
    ...new Set(
      states.flatMap((c) =>
        Object.entries(c.holders ?? {})
          .filter(([, h]) => h.postIds.includes(MEDIATOR_POST_ID))
          .map(([id]) => id),
      ),
    ),
  ];
  const members = holders.length ? await batchGetAll<Item>(holders.map((id) => k.teamMember(id))) : [];
  const accounts: Record<string, string> = {};
  for (const m of members) {
    const username = (m.appointment as { username?: string } | undefined)?.username;
    if (m.stage === 'appointed' && username) accounts[String(m.coordinatorId)] = username;
  }
  const active = (i: Item) => i.status !== 'retired';
  const posts = mediatorPosts({
    grids: grids.filter(active).map((g) => ({ gridId: String(g.gridId), communityId: String(g.communityId) })),
    communities: communities.filter(active).map((c) => String(c.communityId)),
    coverage: states,
    accounts,
    staff: staff.map((s) => s as unknown as PostStaff),
  });
  const gridsOf = new Map<string, string[]>();
  for (const g of grids) gridsOf.set(String(g.communityId), [...(gridsOf.get(String(g.communityId)) ?? []), String(g.gridId)]);
  return { posts, gridsOf };
}

/** The town's mediation posts and places: remembered a minute, or read again when `fresh`. */
export function mediationPlaces(townId: string, fresh = false): Promise<MediationPlaces> {
  if (fresh) forget(`${townId}|mediationPlaces`);
  return remembered(`${townId}|mediationPlaces`, () => load(townId));
}
