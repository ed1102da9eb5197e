import { type CounterDelta, stateCounts, type VisitPlan, type VisitState } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Change, CounterMove, Write } from '../ops';
import { type StoredVisit, visitItems } from './items';

/**
 * The transactions of household visits: each turns a plan of the visit rules (`planVisit`,
 * `newVisitState`, `restate`) into writes, audit and counter moves. Pure: tested without DynamoDB.
 * The state writes are also what the book adds to its own transactions (see `stateWrites`).
 */
export function visitChanges(townId: string, actor: string) {
  const items = visitItems(townId);
  const k = items.keys;
  const counter = (c: CounterDelta): CounterMove => ({ key: k.counters(c.scope), deltas: c.deltas });

  /**
   * The writes and counters taking one household's state from `before` to `after`: created (with the
   * household counts), replaced at the version read, or deleted at it (a household closing).
   */
  function stateWrites(before: VisitState | undefined, after: VisitState | undefined): { writes: Write[]; counters: CounterMove[] } {
    if (!before && !after) return { writes: [], counters: [] };
    if (!before && after)
      return {
        writes: [{ kind: 'create', item: items.state(after), conflictCode: 'visit.state_exists' }],
        counters: stateCounts(after, 1).map(counter),
      };
    const b = before as VisitState;
    if (!after)
      return {
        writes: [{ kind: 'delete', key: k.visitState(b.gridId, b.householdId), version: b.version }],
        counters: stateCounts(b, -1).map(counter),
      };
    // A state moving to another grid (never today: households do not change grid) would be a delete and a create.
    return { writes: [{ kind: 'replace', item: items.state(after), version: b.version }], counters: [] };
  }

  return {
    items,
    stateWrites,

    /**
     * Recording a visit: the visit (created: the same id twice fails as `visit.exists`), the state at
     * the version read (created first when the household had none yet), the audit entry, the counters.
     */
    recordChange(visit: StoredVisit, before: VisitState | undefined, plan: VisitPlan, created: boolean): Change {
      const writes: Write[] = [{ kind: 'create', item: items.visit(visit), conflictCode: 'visit.exists' }];
      const counters = plan.counters.map(counter);
      if (plan.after) {
        if (created) {
          writes.push({ kind: 'create', item: items.state(plan.after), conflictCode: 'visit.state_exists' });
          counters.push(...stateCounts(plan.after, 1).map(counter));
        } else writes.push({ kind: 'replace', item: items.state(plan.after), version: (before as VisitState).version });
      }
      return {
        writes,
        audit: [
          auditEntry(k.audit, {
            actor,
            action: 'visit.record',
            target: visit.visitId,
            at: visit.recordedAt,
            details: {
              gridId: visit.gridId,
              householdId: visit.householdId,
              kind: visit.kind,
              ...(visit.flags.length ? { flags: visit.flags } : {}),
            },
          }),
        ],
        counters,
      };
    },
  };
}
export type VisitChanges = ReturnType<typeof visitChanges>;
