// The population book of a town: `bookOf` (in people.ts) is where a caller starts.
export { KEY_GROUPS_PERMISSION, REVEALS_PER_HOUR } from '@gridline/domain';
export { type BookChanges, bookChanges } from './changes';
export { type BookItems, bookItems, householdView, personView, type StoredHousehold, type StoredPerson } from './items';
export { type Book, bookOf } from './people';
export type { PeopleQuery } from './search';
