import {
  closeSchema,
  entityIdSchema,
  householdCardSchema,
  householdChangeSchema,
  householdCloseSchema,
  householdViewSchema,
  moveSchema,
  newHouseholdSchema,
  newPersonSchema,
  PEOPLE_READ,
  PEOPLE_WRITE,
  pageOf,
  peopleSearchSchema,
  personChangeSchema,
  personDetailSchema,
  personViewSchema,
  revealedSchema,
  revealSchema,
  townMapSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { define, pageQuery, type RouteSpec, TOWN_ANY } from '../spec';

const gridParams = z.strictObject({ gridId: entityIdSchema });
const householdParams = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema });
const personParams = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema, personId: entityIdSchema });
const householdQuery = z.extend(pageQuery, { courtyardId: z.optional(entityIdSchema) });

/** A town route over the population book: personal data, never cached, scoped to the caller's grids. */
export const people = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

/** The population book: households and people, each change one transaction (packages/data/src/book). */
export const book = {
  createHousehold: people({
    id: 'book.household.create',
    success: [201],
    response: householdViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households',
    roles: PEOPLE_WRITE,
    params: gridParams,
    body: newHouseholdSchema,
    summary: 'Add a household to a grid',
  }),
  listHouseholds: people({
    id: 'book.household.list',
    response: pageOf(householdViewSchema),
    method: 'GET',
    path: '/town/grids/{gridId}/households',
    roles: PEOPLE_READ,
    params: gridParams,
    query: householdQuery,
    summary: "A grid's households, optionally of one courtyard",
  }),
  getHousehold: people({
    id: 'book.household.get',
    response: householdCardSchema,
    method: 'GET',
    path: '/town/grids/{gridId}/households/{householdId}',
    roles: PEOPLE_READ,
    params: householdParams,
    summary: 'A household card with its members',
  }),
  changeHousehold: people({
    id: 'book.household.change',
    response: householdViewSchema,
    method: 'PATCH',
    path: '/town/grids/{gridId}/households/{householdId}',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: householdChangeSchema,
    summary: "Correct a household's courtyard, number or door (its members follow a new courtyard)",
  }),
  closeHousehold: people({
    id: 'book.household.close',
    response: householdViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/close',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: householdCloseSchema,
    summary: 'Close a household nobody lives in any more (kept and listed as closed, not deleted)',
  }),
  addPerson: people({
    id: 'book.person.create',
    success: [201],
    response: personViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: newPersonSchema,
    summary: 'Add a member to a household',
  }),
  listPeople: people({
    id: 'book.person.list',
    response: pageOf(personViewSchema),
    method: 'GET',
    path: '/town/grids/{gridId}/people',
    roles: PEOPLE_READ,
    params: gridParams,
    query: pageQuery,
    summary: "A grid's people, household by household",
  }),
  getPerson: people({
    id: 'book.person.get',
    response: personDetailSchema,
    method: 'GET',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}',
    roles: PEOPLE_READ,
    params: personParams,
    summary: 'A person with their history of moves',
  }),
  changePerson: people({
    id: 'book.person.change',
    response: personViewSchema,
    method: 'PATCH',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: personChangeSchema,
    summary: "Correct a person's details",
  }),
  movePerson: people({
    id: 'book.person.move',
    response: personViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/moves',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: moveSchema,
    summary: 'Record an arrival, departure or move (an event; history is kept)',
  }),
  closePerson: people({
    id: 'book.person.close',
    response: personViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/close',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: closeSchema,
    summary: 'Close a record on death or moving away (kept, not deleted)',
  }),
  revealPerson: people({
    id: 'book.person.reveal',
    response: revealedSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/reveal',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: revealSchema,
    summary: 'Show an ID number or phone in full, with a reason (audited, rate-limited)',
  }),
  searchPeople: people({
    id: 'book.person.search',
    response: pageOf(personViewSchema),
    method: 'POST',
    path: '/town/people/search',
    roles: PEOPLE_READ,
    body: peopleSearchSchema,
    summary: 'Find people by ID number, name prefix, tag or residence type',
  }),
} as const;

/** The map: grids and courtyards with their population counts (counters only, no person). */
export const bookMap = {
  populationMap: define({
    id: 'book.map',
    response: townMapSchema,
    method: 'GET',
    path: '/town/map',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Grids and courtyards with boundaries and population counts, for the map',
  }),
} as const;
