import type { VisitFlag, VisitKind, VisitState, VisitView } from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/** A visit as stored: the view's fields without `replayed`, with its community (for the coverage and corrections). */
export type StoredVisit = {
  visitId: string;
  gridId: string;
  householdId: string;
  communityId: string;
  visitedAt: string;
  on: string;
  kind: VisitKind;
  seen: string[];
  checks: string[];
  note?: string;
  by: string;
  recordedAt: string;
  flags: VisitFlag[];
  /** The household's due after the visit (absent for a closed household). */
  due?: string;
};

/**
 * The items of one town's household visits, with their keys and index keys (keys from `keys.ts`): a
 * household's visit state (beside its record, on the grid's and the community's due lists) and a visit
 * (in the household's visits, on its visitor's list).
 */
export function visitItems(townId: string) {
  const k = townKeys(townId);
  return {
    keys: k,
    /** The state on gsi2 (the grid's due list, `<due>#<household>`) and gsi1 (the community's, `<due>#<grid>#<household>`). */
    state: (s: VisitState): Item & Key => ({
      ...k.visitState(s.gridId, s.householdId),
      type: 'VisitState',
      gsi2pk: k.visitDueGridPk(s.gridId),
      gsi2sk: `${s.due}#${s.householdId}`,
      gsi1pk: k.visitDueCommunityPk(s.communityId),
      gsi1sk: `${s.due}#${s.gridId}#${s.householdId}`,
      ...s,
    }),
    /** A visit, on its visitor's list by time (gsi2, `<visitedAt>#<visitId>`). */
    visit: (v: StoredVisit): Item & Key => ({
      ...k.visit(v.gridId, v.householdId, v.visitId),
      type: 'Visit',
      gsi2pk: k.visitsByPk(v.by),
      gsi2sk: `${v.visitedAt}#${v.visitId}`,
      ...v,
    }),
  };
}
export type VisitItems = ReturnType<typeof visitItems>;

export const storedState = (item: Item): VisitState => publicFields<VisitState>(item);

/** A stored visit as the API answers it. */
export function visitView(item: Item, replayed = false): VisitView {
  const { communityId: _c, ...v } = publicFields<StoredVisit & { version?: number }>(item);
  delete (v as { version?: number }).version;
  return { ...v, replayed };
}
