import type { TownPrincipal } from '@gridline/domain';
import { householdsOf } from './households';
import { peopleOf } from './people';
import { bookReads } from './reads';
import { searchOf } from './search';

export { KEY_GROUPS_PERMISSION, REVEALS_PER_HOUR } from '@gridline/domain';
export { type BookChanges, bookChanges } from './changes';
export { type BookItems, bookItems, householdView, personView, type StoredHousehold, type StoredPerson } from './items';
export type { PeopleQuery } from './search';

/**
 * The population book of one town as one caller may use it: households (`households.ts`), people
 * (`people.ts`) and search (`search.ts`). Rules come from `@gridline/domain` (book/rules); the
 * transactions they commit are built in `changes.ts` from the items of `items.ts`.
 */
export function bookOf(principal: TownPrincipal) {
  const reads = bookReads(principal);
  const c = reads.changes;
  return {
    /** For the importer: the same transactions the routes commit, so imported records are indistinguishable. */
    changes: {
      newPersonChange: c.newPersonChange,
      newHouseholdChange: c.newHouseholdChange,
      replaceChange: c.replaceChange,
      personItem: c.items.person,
      view: reads.view,
    },
    ...householdsOf(reads),
    ...peopleOf(reads),
    search: searchOf(reads),
  };
}

export type Book = ReturnType<typeof bookOf>;
