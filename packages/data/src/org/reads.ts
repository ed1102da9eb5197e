import { checkOrgFound, type OrgKind, type OrgRecord } from '@gridline/domain';
import { getItem, type Item, publicFields, queryPage } from '../ops';
import type { OrgEvent, OrgItems } from './items';

/** What the org chart's changes read: one record (consistently; 404 if not this town's), a staff member, a record's history. */
export function orgReads(items: OrgItems) {
  async function load<T>(kind: OrgKind, id: string): Promise<T & OrgRecord> {
    const item = checkOrgFound(kind, await getItem<Item>(items.keyOf(kind, id), { consistent: true }));
    return publicFields<T & OrgRecord>(item);
  }
  return {
    load,
    async staff(username: string): Promise<Item | undefined> {
      return getItem<Item>(items.keys.staff(username), { consistent: true });
    },
    /** The record's history, oldest first, a page at a time; 404 if the record is not this town's. */
    async history(kind: OrgKind, id: string, limit: number, cursor: string | undefined) {
      await load(kind, id);
      const page = await queryPage<Item>({ pk: items.historyPk(kind, id), limit, cursor, listing: `history:${kind}:${id}` });
      return { items: page.items.map((i) => publicFields<OrgEvent>(i)), nextCursor: page.nextCursor };
    },
  };
}
