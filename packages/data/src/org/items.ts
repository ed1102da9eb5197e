import type { OrgKind } from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import type { Item } from '../ops';

/** How a record of the org chart is stored: its item type, its key, and the key of its history. */
export const ORG_ITEM_TYPE: Record<OrgKind, 'Community' | 'Grid' | 'Courtyard'> = {
  community: 'Community',
  grid: 'Grid',
  courtyard: 'Courtyard',
};

/** An entry of an org record's history, as stored and as the history route answers with it. */
export type OrgEvent = { eventId: string; action: string; actor: string; at: string; before?: Item; after?: Item };

/** The items of one town's org chart; every key comes from `townKeys` (keys.ts). */
export function orgItems(townId: string) {
  const keys = townKeys(townId);
  const keyOf = (kind: OrgKind, id: string): Key =>
    kind === 'community' ? keys.community(id) : kind === 'grid' ? keys.grid(id) : keys.courtyard(id);
  return {
    keys,
    keyOf,
    record: (kind: OrgKind, id: string, fields: Item): Item & Key => ({ ...keyOf(kind, id), type: ORG_ITEM_TYPE[kind], ...fields }),
    event: (recordSk: string, e: OrgEvent): Item & Key => ({ ...keys.orgEvent(recordSk, e.at, e.eventId), type: 'OrgEvent', ...e }),
    historyPk: (kind: OrgKind, id: string) => keys.orgHistoryPk(keyOf(kind, id).sk),
  };
}
export type OrgItems = ReturnType<typeof orgItems>;
