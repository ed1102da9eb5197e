import { checkIdNumber } from '@gridline/book';
import { AppError, checkTagSearch, type PersonView, type ResidenceType, visibleTo } from '@gridline/domain';
import { getItem, type Item, type Page, queryPage } from '../ops';
import { townVault } from '../vault';
import type { BookReads } from './reads';

/** What a search of the book may ask: exactly one criterion. */
export type PeopleQuery =
  | { by: 'idNumber'; idNumber: string }
  | { by: 'name'; prefix: string; limit: number; cursor?: string | undefined }
  | { by: 'tag'; tag: string; limit: number; cursor?: string | undefined }
  | { by: 'residenceType'; residenceType: ResidenceType; limit: number; cursor?: string | undefined };

/**
 * Finding people in one caller's town: by ID number (its keyed hash), name prefix (gsi2), tag (the tag
 * entries) or residence type (gsi1). The indexes span the town; results outside the caller's scope are
 * dropped after reading (decision 17).
 */
export function searchOf(r: BookReads) {
  const { k, principal } = r;
  const visible = (p: PersonView) => visibleTo(principal, p);
  return async function search(q: PeopleQuery): Promise<Page<PersonView>> {
    if (q.by === 'idNumber') {
      const id = checkIdNumber(q.idNumber);
      if (!id.ok) throw new AppError(id.reason, 400, id.message.en, { field: 'body.idNumber' });
      const vault = await townVault(principal.townId);
      const lock = await getItem<{ gridId: string; householdId: string; personId: string }>(
        k.idLock(vault.lookupHash('idNumber', id.value)),
      );
      if (!lock) return { items: [], nextCursor: null };
      const p = await getItem<Item>(k.person(lock.gridId, lock.householdId, lock.personId));
      const found = p ? [r.view(p)] : [];
      return { items: found.filter(visible), nextCursor: null };
    }
    if (q.by === 'tag') {
      const special = await r.isSpecialGroup(q.tag);
      checkTagSearch(principal, special);
      const pk = special ? k.tagPk(q.tag) : k.keyTagPk(q.tag);
      const page = await queryPage<Item>({ pk, limit: q.limit, cursor: q.cursor, listing: `tag:${q.tag}` });
      const people = await Promise.all(
        page.items.map(async (e) => getItem<Item>(k.person(String(e.gridId), String(e.householdId), String(e.personId)))),
      );
      return {
        items: people
          .filter((p): p is Item => p !== undefined)
          .map(r.view)
          .filter(visible),
        nextCursor: page.nextCursor,
      };
    }
    const page =
      q.by === 'name'
        ? await queryPage<Item>({
            pk: k.nameIndexPk(q.prefix),
            index: 'gsi2',
            skPrefix: q.prefix,
            limit: q.limit,
            cursor: q.cursor,
            listing: `name:${q.prefix}`,
          })
        : await queryPage<Item>({
            pk: k.residenceIndexPk(q.residenceType),
            index: 'gsi1',
            limit: q.limit,
            cursor: q.cursor,
            listing: `res:${q.residenceType}`,
          });
    return { items: page.items.map(r.view).filter(visible), nextCursor: page.nextCursor };
  };
}
