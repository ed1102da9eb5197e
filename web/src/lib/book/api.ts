import { api } from '../api';
import { session } from '../session';
import type {
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
  TownMe,
} from '@gridline/domain';
import { KEY_GROUPS_PERMISSION } from '@gridline/domain/rules';

/**
 * The population book's calls to the API (see functions/src/routes.ts): households, people, moves,
 * search and reveal. The town context its pages share (who the user is, the org chart, the tag
 * lists) is in context.ts.
 */

/**
 * Whether this user has the key-group permission, as far as the API has shown: it sends `keyTags`
 * (possibly empty) only to those who have it. Remembered in memory once seen, until the session ends.
 */
let keyTagsSeen = false;
/** Whether the signed-in user holds the key-group permission (from /town/me), or the API has shown it. */
export const hasKeyGroups = (ctx: { me: TownMe } | null, people: Person[] = []) =>
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
};

session.subscribe((s) => {
  if (!s) keyTagsSeen = false;
});

/** Rows per page in the book's lists. */
export const BOOK_PAGE = 25;

/** Which list the book page shows (from its address): a grid's households (of one courtyard, or all) or its people. */
export type BookListAt = { gridId: string; tab: 'households' | 'people'; yard: string };
export type BookListPage = { tab: 'households'; page: Page<Household> } | { tab: 'people'; page: Page<Person> };

/** One page of the list the book page shows, from `cursor` (null: the first page). */
export const bookList = (at: BookListAt, cursor: string | null = null): Promise<BookListPage> =>
  at.tab === 'households'
    ? book.households(at.gridId, { limit: BOOK_PAGE, cursor, courtyardId: at.yard || null }).then((page) => ({ tab: 'households', page }))
    : book.people(at.gridId, { limit: BOOK_PAGE, cursor }).then((page) => ({ tab: 'people', page }));

export type { HouseholdChange, Move, NewPerson, PersonChange } from '@gridline/domain';
