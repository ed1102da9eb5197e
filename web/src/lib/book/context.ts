import { session } from '../session';
import { town } from '../town/api';
import type {
  HierarchyCommunity as Community,
  HierarchyGrid as Grid,
  HierarchyView as Hierarchy,
  PeopleQuery,
  PersonView as Person,
  TownConfigView as TownConfig,
  TownMe,
} from '@gridline/domain';
import { todayInChina } from '@gridline/book/checks';

/**
 * The town context the book's pages share: who the user is, the org chart and the tag lists, fetched
 * through the town's API module and kept in memory only, for the life of the tab and the session;
 * with the grids a user may open, ages, and the last search. Nothing here is ever written to browser
 * storage.
 */

export type TownContext = { me: TownMe; hierarchy: Hierarchy; config: TownConfig };

let context: Promise<TownContext> | undefined;

/** Me, the hierarchy and the configuration, fetched once per session (`fresh` refetches them). */
export function townContext(fresh = false): Promise<TownContext> {
  if (fresh) context = undefined;
  context ??= Promise.all([town.me(), town.hierarchy(), town.config()])
    .then(([me, hierarchy, config]) => ({ me, hierarchy, config }))
    .catch((e: unknown) => {
      context = undefined;
      throw e;
    });
  return context;
}

session.subscribe((s) => {
  if (!s) context = undefined;
});

export type GridEntry = { grid: Grid; community: Community };

/** Every grid with its community, in the order of the hierarchy. */
export function allGrids(h: Hierarchy): GridEntry[] {
  return h.communities.flatMap((community) => community.grids.map((grid) => ({ grid, community })));
}

/**
 * The grids this user may open: a coordinator's own grids, a community station's grids, or the
 * whole town. Retired grids stay listed (their records are kept) after the active ones.
 */
export function gridsInScope(ctx: Pick<TownContext, 'me' | 'hierarchy'>): GridEntry[] {
  const { grids, communities } = ctx.me.user.scope;
  const all = allGrids(ctx.hierarchy).filter(({ grid, community }) => {
    if (grids.length) return grids.includes(grid.gridId);
    if (communities.length) return communities.includes(community.communityId);
    return true;
  });
  const retired = (e: GridEntry) => e.grid.status === 'retired' || e.community.status === 'retired';
  return [...all.filter((e) => !retired(e)), ...all.filter(retired)];
}

export function findGrid(h: Hierarchy, gridId: string): GridEntry | undefined {
  return allGrids(h).find((e) => e.grid.gridId === gridId);
}

export { todayInChina };

/** Age in whole years on `today` for a YYYY-MM-DD birth date. */
export function ageOn(birthDate: string, today = todayInChina()): number | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!b || !t) return undefined;
  let years = Number(t[1]) - Number(b[1]);
  // Month and day as MMDD strings compare correctly as text.
  if (`${t[2]}${t[3]}` < `${b[2]}${b[3]}`) years -= 1;
  return years >= 0 ? years : undefined;
}

/**
 * The last search and its results, in memory only, so that coming back from a household card shows
 * them again. Dropped when the session ends; a reload forgets them too.
 */
export type SearchMemory = { query: PeopleQuery; items: Person[]; nextCursor: string | null };
let lastSearch: SearchMemory | null = null;
export const searchMemory = {
  get: () => lastSearch,
  set: (m: SearchMemory | null) => {
    lastSearch = m;
  },
};
session.subscribe((s) => {
  if (!s) lastSearch = null;
});
