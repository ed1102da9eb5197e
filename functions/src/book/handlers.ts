import { bookOf } from '@gridline/data/book';
import type { RouteRequest } from '../pipeline/route';
import type { book } from './routes';

// The population book's routes (ID number checks, the vault): loaded on the first such request.
type R<K extends keyof typeof book> = RouteRequest<(typeof book)[K]>;

export const createHousehold = async ({ principal, params, body, now }: R<'createHousehold'>) => ({
  status: 201,
  body: await bookOf(principal).createHousehold(params.gridId, body, now),
});
export const listHouseholds = async ({ principal, params, query }: R<'listHouseholds'>) => ({
  body: await bookOf(principal).listHouseholds(params.gridId, query.limit, query.cursor, query.courtyardId),
});
export const getHousehold = async ({ principal, params }: R<'getHousehold'>) => ({
  body: await bookOf(principal).getHousehold(params.gridId, params.householdId),
});
export const changeHousehold = async ({ principal, params, body, now }: R<'changeHousehold'>) => ({
  body: await bookOf(principal).changeHousehold(params.gridId, params.householdId, body, now),
});
export const closeHousehold = async ({ principal, params, body, now }: R<'closeHousehold'>) => ({
  body: await bookOf(principal).closeHousehold(params.gridId, params.householdId, body, now),
});
export const addPerson = async ({ principal, params, body, now }: R<'addPerson'>) => ({
  status: 201,
  body: await bookOf(principal).addPerson(params.gridId, params.householdId, body, now),
});
export const listPeople = async ({ principal, params, query }: R<'listPeople'>) => ({
  body: await bookOf(principal).listPeople(params.gridId, query.limit, query.cursor),
});
export const getPerson = async ({ principal, params }: R<'getPerson'>) => ({
  body: await bookOf(principal).getPerson(params.gridId, params.householdId, params.personId),
});
export const changePerson = async ({ principal, params, body, now }: R<'changePerson'>) => ({
  body: await bookOf(principal).changePerson(params.gridId, params.householdId, params.personId, body, now),
});
export const movePerson = async ({ principal, params, body, now }: R<'movePerson'>) => ({
  body: await bookOf(principal).movePerson(params.gridId, params.householdId, params.personId, body, now),
});
export const closePerson = async ({ principal, params, body, now }: R<'closePerson'>) => ({
  body: await bookOf(principal).closePerson(params.gridId, params.householdId, params.personId, body, now),
});
export const revealPerson = async ({ principal, params, body, now }: R<'revealPerson'>) => ({
  body: await bookOf(principal).reveal(params.gridId, params.householdId, params.personId, body.field, body.reason, now),
});
export const searchPeople = async ({ principal, body }: R<'searchPeople'>) => ({ body: await bookOf(principal).search(body) });
