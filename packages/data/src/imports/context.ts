import type { TownPrincipal } from '@gridline/domain';
import { type Book, bookOf, KEY_GROUPS_PERMISSION } from '../book';
import { townKeys } from '../keys';

/** What every part of one town's imports works with: who asks, the town's keys and book, their key-group right. */
export type ImportContext = {
  principal: TownPrincipal;
  townId: string;
  k: ReturnType<typeof townKeys>;
  book: Book;
  keyGroups: boolean;
};

export function importContext(principal: TownPrincipal): ImportContext {
  return {
    principal,
    townId: principal.townId,
    k: townKeys(principal.townId),
    book: bookOf(principal),
    keyGroups: (principal.scope.permissions ?? []).includes(KEY_GROUPS_PERMISSION),
  };
}
