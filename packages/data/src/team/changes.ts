import {
  type CounterDelta,
  type CoverageState,
  newId,
  type ResponsiblePlan,
  type Revocations,
  type TeamEvent,
  type TeamPlan,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Change, CounterMove, Write } from '../ops';
import { teamItems } from './items';

/**
 * The transactions of one town's team: each turns a plan of the team's rules (`@gridline/domain`,
 * team/rules) into ONE transaction — the record at the version read, its history entries, the coverage
 * item of each community touched (at the version read, or created), the audit entry and the counters;
 * a step that ends or moves a sign-in also writes the town's revocation list.
 * Pure: tested without DynamoDB.
 */
export function teamChanges(townId: string, actor: string) {
  const items = teamItems(townId);
  const k = items.keys;
  const counter = (c: CounterDelta): CounterMove => ({ key: k.counters(c.scope), deltas: c.deltas });

  const events = (list: TeamEvent[], now: string): Write[] =>
    list.map((e) => ({ kind: 'put', item: items.event(e.coordinatorId, now, newId(Date.parse(now)), actor, e.kind, e.details) }));

  /** A coverage item after a change: created when none was read, else replaced at the version read. */
  const coverageWrite = (after: CoverageState, read: number | undefined, now: string): Write =>
    read === undefined
      ? { kind: 'create', item: items.coverage({ ...after, version: 1, updatedAt: now }), conflictCode: 'team.coverage_changed' }
      : { kind: 'replace', item: items.coverage({ ...after, version: read + 1, updatedAt: now }), version: read };

  return {
    items,

    /**
     * One step of a record. `version` is the record's as read (absent for a recommendation, which creates
     * it); `coverageVersions` the version of each coverage item read, by community (absent: none yet).
     */
    stepChange(
      plan: TeamPlan,
      version: number | undefined,
      coverageVersions: Record<string, number | undefined>,
      now: string,
      revoke?: { revoked: Revocations; version: number },
    ): Change {
      const record: Write =
        version === undefined
          ? { kind: 'create', item: items.member({ ...plan.after, version: 1 }), conflictCode: 'team.exists' }
          : { kind: 'replace', item: items.member({ ...plan.after, version: version + 1 }), version };
      return {
        writes: [
          record,
          ...plan.coverage.map((c) => coverageWrite(c.after, coverageVersions[c.after.communityId], now)),
          ...events(plan.events, now),
          // The town's revocation list, at the status item's version read (decision 67).
          ...(revoke ? [{ kind: 'update', key: k.meta(), set: { revoked: revoke.revoked }, version: revoke.version } as const] : []),
        ],
        audit: [
          auditEntry(k.audit, {
            actor,
            action: plan.audit.action,
            target: plan.after.coordinatorId,
            at: now,
            ...(plan.audit.details ? { details: plan.audit.details } : {}),
          }),
        ],
        counters: plan.counters.map(counter),
      };
    },

    /** A reveal of a team member's ID number or phone: its audit entry, in the same transaction as the hour's allowance it uses. */
    revealChange(coordinatorId: string, field: 'idNumber' | 'phone', reason: string, now: string, limit: number): Change {
      return {
        writes: [],
        audit: [auditEntry(k.audit, { actor, action: 'team.reveal', target: coordinatorId, at: now, details: { field, reason } })],
        counters: [],
        // The book's allowance: one user's reveals an hour, whether of a resident or a team member.
        quota: { key: k.revealQuota(actor, now.slice(0, 13)), limit },
      };
    },

    /**
     * Naming a grid's responsible coordinator: the coverage item at the version read (a dismissal or
     * transfer meanwhile changes it, so the naming fails rather than name someone gone), the grid
     * checked to be there and active, both histories, audit, counters.
     */
    responsibleChange(plan: ResponsiblePlan, gridId: string, coverageVersion: number | undefined, now: string): Change {
      return {
        writes: [
          coverageWrite(plan.after, coverageVersion, now),
          { kind: 'check', key: k.grid(gridId), code: 'grid.not_found', message: 'No such grid in this town (or it is retired).' },
          ...events(plan.events, now),
        ],
        audit: [auditEntry(k.audit, { actor, action: plan.audit.action, target: gridId, at: now, details: plan.audit.details })],
        counters: plan.counters.map(counter),
      };
    },
  };
}
export type TeamChanges = ReturnType<typeof teamChanges>;
