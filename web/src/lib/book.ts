import { api } from './api';
import { session } from './session';
import type {
  HierarchyCommunity as Community,
  HierarchyGrid as Grid,
  HierarchyView as Hierarchy,
  HouseholdView as Household,
  HouseholdCard,
  Page,
  PeopleQuery,
  PersonView as Person,
  PersonDetail,
  RevealField,
  PersonClose,
  HouseholdClose,
  HouseholdChange,
  NewHousehold,
  NewPerson,
  PersonChange,
  Move,
  TownConfigView as TownConfig,
  TownMap,
  TownMe,
} from '@gridline/domain';
import { todayInChina } from '@gridline/book/checks';
import { KEY_GROUPS_PERMISSION } from '@gridline/domain/rules';

/**
 * The population book's calls to the API (see functions/src/routes.ts), and the town context its
 * pages share: who the user is, the org chart and the tag lists. The context is kept in memory only,
 * for the life of the tab and the session; nothing here is ever written to browser storage.
 */

export type TownContext = { me: TownMe; hierarchy: Hierarchy; config: TownConfig };

let context: Promise<TownContext> | undefined;

/** Me, the hierarchy and the configuration, fetched once per session (`fresh` refetches them). */
export function townContext(fresh = false): Promise<TownContext> {
  if (fresh) context = undefined;
  context ??= Promise.all([api.get<TownMe>('/town/me'), api.get<Hierarchy>('/town/hierarchy'), api.get<TownConfig>('/town/config')])
    .then(([me, hierarchy, config]) => ({ me, hierarchy, config }))
    .catch((e: unknown) => {
      context = undefined;
      throw e;
    });
  return context;
}

session.subscribe((s) => {
  if (!s) {
    context = undefined;
    keyTagsSeen = false;
  }
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

/**
 * Whether this user has the key-group permission, as far as the API has shown: it sends `keyTags`
 * (possibly empty) only to those who have it. Remembered in memory once seen, until the session ends.
 */
let keyTagsSeen = false;
/** Whether the signed-in user holds the key-group permission (from /town/me), or the API has shown it. */
export const hasKeyGroups = (ctx: Pick<TownContext, 'me'> | null, people: Person[] = []) =>
  !!ctx?.me.user.scope.permissions?.includes(KEY_GROUPS_PERMISSION) || seesKeyTags(people);
export const seesKeyTags = (people: Person[] = []) => {
  if (people.some((p) => Array.isArray(p.keyTags))) keyTagsSeen = true;
  return keyTagsSeen;
};
const noting =
  <T>(picks: (v: T) => Person[]) =>
  (v: T) => {
    seesKeyTags(picks(v));
    return v;
  };

const g = (gridId: string) => `/town/grids/${encodeURIComponent(gridId)}`;
const h = (gridId: string, householdId: string) => `${g(gridId)}/households/${encodeURIComponent(householdId)}`;
const p = (person: Pick<Person, 'gridId' | 'householdId' | 'personId'>) =>
  `${h(person.gridId, person.householdId)}/people/${encodeURIComponent(person.personId)}`;

export const book = {
  households: (gridId: string, opts: { cursor?: string | null; courtyardId?: string | null; limit?: number } = {}) =>
    api.get<Page<Household>>(`${g(gridId)}/households`, { limit: opts.limit ?? 25, cursor: opts.cursor, courtyardId: opts.courtyardId }),
  people: (gridId: string, opts: { cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<Person>>(`${g(gridId)}/people`, { limit: opts.limit ?? 25, cursor: opts.cursor }).then(noting((r) => r.items)),
  household: (gridId: string, householdId: string) =>
    api.get<HouseholdCard>(h(gridId, householdId)).then(noting((r: HouseholdCard) => r.members)),
  addHousehold: (gridId: string, body: NewHousehold) => api.post<Household>(`${g(gridId)}/households`, body),
  changeHousehold: (hh: Household, body: HouseholdChange) => api.patch<Household>(h(hh.gridId, hh.householdId), body),
  closeHousehold: (hh: Household, body: HouseholdClose) => api.post<Household>(`${h(hh.gridId, hh.householdId)}/close`, body),
  addPerson: (gridId: string, householdId: string, body: NewPerson) => api.post<Person>(`${h(gridId, householdId)}/people`, body),
  person: (person: Pick<Person, 'gridId' | 'householdId' | 'personId'>) => api.get<PersonDetail>(p(person)),
  change: (person: Person, body: PersonChange) => api.patch<Person>(p(person), body),
  move: (person: Person, body: Move) => api.post<Person>(`${p(person)}/moves`, body),
  close: (person: Person, body: PersonClose) => api.post<Person>(`${p(person)}/close`, body),
  reveal: (person: Person, field: RevealField, reason: string) =>
    api.post<{ field: RevealField; value: string }>(`${p(person)}/reveal`, { field, reason }),
  /** Criteria travel in the body, never in the URL. */
  search: (query: PeopleQuery, opts: { cursor?: string | null; limit?: number } = {}) =>
    api
      .post<Page<Person>>('/town/people/search', {
        ...query,
        ...(query.by === 'idNumber' ? {} : { limit: opts.limit ?? 25, ...(opts.cursor ? { cursor: opts.cursor } : {}) }),
      })
      .then(noting((r) => r.items)),
  map: () => api.get<TownMap>('/town/map'),
};

export { todayInChina };
export type { HouseholdChange, Move, NewPerson, PersonChange } from '@gridline/domain';

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
