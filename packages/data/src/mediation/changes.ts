import { AppError, type CounterDelta, type MediationEvent, type MediationPlan, type MediationSettings } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Change, CounterMove, Write } from '../ops';
import { itemSize } from '../size';
import { mediationItems, type MediationItems, type StoredCase } from './items';

/** A case item may grow (sessions, follow-ups) but stays well inside DynamoDB's 400 KB. */
export const CASE_ITEM_LIMIT = 300_000;

/** The matter a case was turned from, as read: its timeline gets an entry linking the case. */
export type LinkedMatter = { matterId: string; version: number; level: string; status: string };

/** Another open or agreed case a new case's party also names: flagged in the same transaction. */
export type RepeatFlag = { before: StoredCase; hashes: string[] };

/**
 * The transactions of one town's mediation (decision 161): each turns an accepted plan of the rules
 * (`planMediationIntake`, `planEscalate` …) into ONE transaction — the case created or replaced at the
 * version read (its list entries are its own index keys, so they move with it), its timeline entries,
 * an invitation, the repeat-party entries, other cases a repeat party now flags, the matter it came
 * from, the audit entry and the month's counters. Pure: tested without DynamoDB.
 */
export function mediationChanges(townId: string, actor: string) {
  const items: MediationItems = mediationItems(townId);
  const k = items.keys;
  const counter = (c: CounterDelta): CounterMove => ({ key: k.counters(c.scope), deltas: c.deltas });

  function caseWrite(after: StoredCase, before: StoredCase | undefined): Write {
    const item = items.case(after);
    if (itemSize(item) > CASE_ITEM_LIMIT)
      throw new AppError('mediation.case_full', 413, 'This case has grown too large to record more on it; open a follow-on case.');
    return before ? { kind: 'replace', item, version: before.version } : { kind: 'create', item, conflictCode: 'mediation.exists' };
  }

  const eventWrites = (caseId: string, events: readonly MediationEvent[], version: number): Write[] =>
    events.map((e, n) => ({ kind: 'put', item: items.event(caseId, e, version, n) }));

  const auditOf = (plan: Pick<MediationPlan, 'audit'>, target: string, now: string) =>
    auditEntry(k.audit, { actor, action: plan.audit.action, target, at: now, details: plan.audit.details });

  return {
    items,

    /**
     * Intake: the new case (refused when its id exists), its first entry, an entry under each party's ID
     * hash, the other cases a repeat party flags now (each at its version, with an entry saying why), the
     * matter it was turned from (it must still exist) with an entry linking the case, audit, counters.
     */
    intake(
      plan: Pick<MediationPlan, 'events' | 'counters' | 'audit'>,
      after: StoredCase,
      now: string,
      extra: { flag?: readonly RepeatFlag[]; matter?: LinkedMatter } = {},
    ): Change {
      const writes: Write[] = [caseWrite(after, undefined), ...eventWrites(after.caseId, plan.events, after.version)];
      for (const hash of new Set(after.partyKeys.filter((h): h is string => h !== null)))
        writes.push({ kind: 'put', item: items.party(hash, after) });
      for (const f of extra.flag ?? []) {
        const flagged: StoredCase = {
          ...f.before,
          flags: [...new Set([...f.before.flags, 'repeat_party' as const])],
          version: f.before.version + 1,
          updatedAt: now,
        };
        writes.push(
          caseWrite(flagged, f.before),
          ...eventWrites(
            flagged.caseId,
            [
              {
                kind: 'flagged',
                at: now,
                actor,
                level: flagged.level,
                status: flagged.status,
                details: { flag: 'repeat_party', caseId: after.caseId },
              },
            ],
            flagged.version,
          ),
        );
      }
      if (extra.matter) {
        const m = extra.matter;
        writes.push(
          {
            kind: 'check',
            key: k.matter(m.matterId),
            code: 'mediation.unknown_matter',
            message: 'No such matter in this town.',
            anyStatus: true,
          },
          {
            kind: 'put',
            item: {
              ...k.matterEvent(m.matterId, now, m.version, 50),
              type: 'MatterEvent',
              kind: 'mediation_case',
              at: now,
              actor,
              level: m.level,
              status: m.status,
              details: { caseId: after.caseId, level: after.level },
            },
          },
        );
      }
      return { writes, audit: [auditOf(plan, after.caseId, now)], counters: plan.counters.map(counter) };
    },

    /** A step on a case: the case at the version read, its timeline entries, an invitation (the n-th), audit, counters. */
    step(plan: MediationPlan, before: StoredCase, after: StoredCase, now: string, invitationNo: number): Change {
      const writes: Write[] = [caseWrite(after, before), ...eventWrites(after.caseId, plan.events, after.version)];
      if (plan.invitation) writes.push({ kind: 'put', item: items.invitation(plan.invitation, invitationNo) });
      return { writes, audit: [auditOf(plan, after.caseId, now)], counters: plan.counters.map(counter) };
    },

    /** The settings saved: created over the defaults (version 0) or replaced at the version read, with an audit entry. */
    settings(before: MediationSettings, after: MediationSettings, now: string): Change {
      const item = items.settings(after);
      return {
        writes: [
          before.version === 0
            ? { kind: 'create', item, conflictCode: 'mediation.settings_changed' }
            : { kind: 'replace', item, version: before.version },
        ],
        audit: [
          auditEntry(k.audit, {
            actor,
            action: 'mediation.settings.change',
            target: 'MEDIATION',
            at: now,
            details: { version: after.version, followUpDays: after.followUpDays, types: after.types },
          }),
        ],
      };
    },

    /** A participant's read (decision 167): the audit entry alone. */
    read(action: string, target: string, now: string, details: Record<string, unknown>): Change {
      return { writes: [], audit: [auditEntry(k.audit, { actor, action, target, at: now, details })] };
    },
  };
}
export type MediationChanges = ReturnType<typeof mediationChanges>;
