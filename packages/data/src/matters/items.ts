import {
  HANDLING_STATUSES,
  levelPlace,
  type Matter,
  type MatterCategory,
  type MatterClock,
  type MatterEvent,
  type MatterSummary,
  type MatterView,
  type SlaState,
  summarize,
} from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/** Where the supervision job last marked a matter: its colour then, `ok` before any 督办. */
export type SlaMark = SlaState;

/** A matter as stored: the rules' matter, its clock as last computed, and the supervision mark. */
export type StoredMatter = { matter: Matter; clock: Pick<MatterClock, 'kind' | 'due'>; mark: SlaMark };

/** The sort part of a due: an instant, or `~` (after every instant) for a matter with no clock. */
export const dueKey = (due: string | null | undefined): string => due ?? '~';

const CLOCK_FIELDS = ['clockDue', 'clockKind', 'slaMark'] as const;

/**
 * The items of one town's matters (keys from `keys.ts`, the block marked "Matters"): the matter in its
 * own partition beside its timeline, carrying its level queue (gsi1) and its holder's queue (gsi2); a
 * summary under the town's running clocks (while its clock runs), its grid and its category.
 */
export function matterItems(townId: string) {
  const k = townKeys(townId);

  /** The queue entries a matter holds on the indexes of its item, per its status. */
  function queues(m: Matter, due: string | null): Item {
    const handling = HANDLING_STATUSES.includes(m.status);
    const out: Item = {};
    if (handling || m.status === 'resolved') {
      out.gsi1pk = k.matterLevelQueuePk(m.level, levelPlace(m, m.level));
      out.gsi1sk = `${handling ? 'h' : 'v'}#${dueKey(due)}#${m.matterId}`;
    }
    if (handling && m.assignee) {
      out.gsi2pk = k.matterMinePk(m.assignee);
      out.gsi2sk = `${dueKey(due)}#${m.matterId}`;
    }
    return out;
  }

  /** A summary entry: the line of a queue, plus what the supervision job needs to count the clock again. */
  const entry = (key: Key, s: StoredMatter, type: string): Item & Key => ({
    ...key,
    type,
    ...summarize(s.matter, { due: s.clock.due, state: s.mark === 'ok' ? null : s.mark }),
    levelSince: s.matter.levelSince,
    extensions: s.matter.extensions,
    clockKind: s.clock.kind,
    slaMark: s.mark,
  });

  return {
    keys: k,
    matter: (s: StoredMatter): Item & Key => ({
      ...k.matter(s.matter.matterId),
      type: 'Matter',
      ...s.matter,
      clockDue: s.clock.due,
      clockKind: s.clock.kind,
      slaMark: s.mark,
      ...queues(s.matter, s.clock.due),
    }),
    event: (matterId: string, e: MatterEvent, version: number, n: number): Item & Key => ({
      ...k.matterEvent(matterId, e.at, version, n),
      type: 'MatterEvent',
      ...e,
    }),
    /** The matter under the town's running clocks: only while its clock runs and has a due. */
    dueKeyOf: (s: StoredMatter): Key | undefined =>
      s.clock.due !== null && (s.matter.status === 'open' || s.matter.status === 'accepted')
        ? k.matterDue(s.clock.due, s.matter.matterId)
        : undefined,
    dueEntry: (key: Key, s: StoredMatter) => entry(key, s, 'MatterDue'),
    gridEntry: (s: StoredMatter) => entry(k.matterGridEntry(s.matter.gridId, s.matter.raisedAt, s.matter.matterId), s, 'MatterByGrid'),
    categoryEntry: (s: StoredMatter) =>
      entry(k.matterCategoryEntry(s.matter.categoryId, s.matter.raisedAt, s.matter.matterId), s, 'MatterByCategory'),
    category: (c: MatterCategory): Item & Key => ({ ...k.matterCategory(c.categoryId), type: 'MatterCategory', ...c }),
  };
}
export type MatterItems = ReturnType<typeof matterItems>;

/** The matter, its clock and mark from a stored matter item. */
export function storedMatter(item: Item): StoredMatter {
  const fields = publicFields<Record<string, unknown>>(item);
  const { clockDue, clockKind, slaMark, ...rest } = fields as Record<string, unknown> & {
    clockDue?: string | null;
    clockKind?: MatterClock['kind'];
    slaMark?: SlaMark;
  };
  for (const f of CLOCK_FIELDS) delete (rest as Record<string, unknown>)[f];
  return { matter: rest as unknown as Matter, clock: { due: clockDue ?? null, kind: clockKind ?? null }, mark: slaMark ?? 'ok' };
}

/** The matter as the API answers it: the sealed phone never leaves the store. */
export function matterView(m: Matter): MatterView {
  const { reporterPhoneSealed: _sealed, ...view } = m;
  return view;
}

/** A queue line from a stored entry or matter item. */
export function summaryOf(item: Item): MatterSummary {
  const f = publicFields<Record<string, unknown>>(item);
  if ('description' in f) {
    const s = storedMatter(item);
    return summarize(s.matter, { due: s.clock.due, state: s.mark === 'ok' ? null : s.mark });
  }
  const { levelSince: _l, extensions: _e, clockKind: _k, slaMark: _m, ...summary } = f;
  return summary as unknown as MatterSummary;
}

export const categoryView = (item: Item): MatterCategory => {
  const { categoryId, label, sla, inUse, version, updatedAt, updatedBy } = publicFields<MatterCategory>(item);
  return { categoryId, label, sla, inUse, version, updatedAt, updatedBy };
};

export const eventView = (item: Item): MatterEvent => {
  const { kind, at, actor, level, status, details, attachmentIds } = publicFields<MatterEvent>(item);
  return { kind, at, actor, level, status, details: details ?? {}, ...(attachmentIds ? { attachmentIds } : {}) };
};
