import {
  type CounterDelta,
  type MatterCategory,
  type MatterCategoryChange,
  type MatterEvent,
  type MatterPlan,
  periodContaining,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Key } from '../keys';
import type { Change, CounterMove, Write } from '../ops';
import { type MatterItems, matterItems, type StoredMatter } from './items';

const sameKey = (a: Key | undefined, b: Key | undefined) => a?.pk === b?.pk && a?.sk === b?.sk;

/**
 * The transactions of one town's matters: each turns a plan of the ladder (`decideMatter`,
 * `planIntake`) into ONE transaction — the matter at the version read (or created), its timeline
 * entries, its queue entries moved (running clocks, grid, category), a merge's target at its version,
 * the audit entry and the counters: the plan's flows, the stock of matters by status, and "resolved on
 * time" when the resolution beats the due (decision 96). Pure: tested without DynamoDB.
 */
export function matterChanges(townId: string, actor: string) {
  const items: MatterItems = matterItems(townId);
  const k = items.keys;
  const counter = (c: CounterDelta): CounterMove => ({ key: k.counters(c.scope), deltas: c.deltas });

  /** Writes of one matter moving from `before` (absent: new) to `after`, with its timeline entries. */
  function matterWrites(before: StoredMatter | undefined, after: StoredMatter, events: readonly MatterEvent[]): Write[] {
    const writes: Write[] = [];
    writes.push(
      before
        ? { kind: 'replace', item: items.matter(after), version: before.matter.version }
        : { kind: 'create', item: items.matter(after), conflictCode: 'matter.exists' },
    );
    events.forEach((e, n) => {
      writes.push({ kind: 'put', item: items.event(after.matter.matterId, e, after.matter.version, n) });
    });
    const oldDue = before ? items.dueKeyOf(before) : undefined;
    const newDue = items.dueKeyOf(after);
    if (oldDue && !sameKey(oldDue, newDue)) writes.push({ kind: 'remove', key: oldDue });
    if (newDue) writes.push({ kind: 'put', item: items.dueEntry(newDue, after) });
    writes.push({ kind: 'put', item: items.gridEntry(after) }, { kind: 'put', item: items.categoryEntry(after) });
    return writes;
  }

  /** The stock of matters by status (`matters_now_<status>`, town-wide): what the board shows for transferred and awaiting a visit. */
  function stock(before: StoredMatter | undefined, after: StoredMatter): CounterDelta[] {
    if (before?.matter.status === after.matter.status) return [];
    const deltas: Record<string, number> = { [`matters_now_${after.matter.status}`]: 1 };
    if (before) deltas[`matters_now_${before.matter.status}`] = -1;
    return [{ scope: 'TOWN', deltas }];
  }

  /** "Resolved on time": resolved no later than the due it ran against, by level and category. */
  function onTime(before: StoredMatter | undefined, after: StoredMatter, now: string): CounterDelta[] {
    if (!before || before.matter.status === 'resolved' || after.matter.status !== 'resolved') return [];
    if (before.clock.due !== null && now > before.clock.due) return [];
    const { level, categoryId } = before.matter;
    return [
      {
        scope: `MONTH#${periodContaining(now, 'month')}`,
        deltas: {
          matters_resolved_on_time: 1,
          [`matters_resolved_on_time_${level}`]: 1,
          [`matters_resolved_on_time_cat_${categoryId}`]: 1,
        },
      },
    ];
  }

  return {
    items,

    /**
     * One accepted plan: the matter (and a merge's target) moved, with `after` and `target` carrying
     * the clocks the caller counted for them.
     */
    planChange(
      plan: Pick<MatterPlan, 'events' | 'counters' | 'audit'>,
      before: StoredMatter | undefined,
      after: StoredMatter,
      now: string,
      target?: { before: StoredMatter; after: StoredMatter; events: readonly MatterEvent[] },
    ): Change {
      // A resolution keeps the due it ran against in its timeline entry: "on time" can be recounted from the record.
      const events = plan.events.map((e) =>
        e.kind === 'resolved' && before ? { ...e, details: { ...e.details, due: before.clock.due } } : e,
      );
      const writes = matterWrites(before, after, events);
      if (target) writes.push(...matterWrites(target.before, target.after, target.events));
      const deltas = [...plan.counters, ...stock(before, after), ...onTime(before, after, now)];
      return {
        writes,
        audit: [
          auditEntry(k.audit, { actor, action: plan.audit.action, target: after.matter.matterId, at: now, details: plan.audit.details }),
        ],
        counters: deltas.map(counter),
      };
    },

    /** A category saved: the catalogue entry at the version read (or created) and its history entry. */
    categoryChange(change: MatterCategoryChange, now: string): Change {
      const after: MatterCategory = change.after;
      const write: Write = change.before
        ? { kind: 'replace', item: items.category(after), version: change.before.version }
        : { kind: 'create', item: items.category(after), conflictCode: 'matter.category_exists' };
      return {
        writes: [
          write,
          { kind: 'put', item: { ...k.matterCategoryLog(after.categoryId, now, after.version), type: 'MatterCategoryChange', ...change } },
        ],
        audit: [
          auditEntry(k.audit, {
            actor,
            action: change.before ? 'matter.category.change' : 'matter.category.add',
            target: after.categoryId,
            at: now,
            details: { version: after.version, inUse: after.inUse },
          }),
        ],
      };
    },
  };
}
export type MatterChanges = ReturnType<typeof matterChanges>;
