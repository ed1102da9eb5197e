import { emptyCoverage, newId, ORG_COUNTER, type OrgChangePlan, type OrgRequirement } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Change, Write } from '../ops';
import { teamItems } from '../team/items';
import { type OrgEvent, orgItems } from './items';

/**
 * The transactions of one town's org chart: each turns a plan of the org rules (`@gridline/domain`,
 * org/rules) into ONE transaction — the record, a check of every record it must point at (existing and
 * not retired), a history event of the record, the town's audit entry and the counter it moves. Pure:
 * nothing here reads or writes, so every builder is tested without DynamoDB.
 */
export function orgChanges(townId: string, actor: string) {
  const items = orgItems(townId);
  const k = items.keys;

  const team = teamItems(townId);
  const requirement = (r: OrgRequirement, now: string): Write =>
    r.kind === 'staff'
      ? { kind: 'check', key: k.staff(r.username), code: 'staff.not_found', message: 'No such staff member in this town.', anyStatus: true }
      : r.kind === 'coverage'
        ? // The coverage item touched at the version read (created empty when there was none), so a
          // concurrent appointment and this change cannot both commit.
          r.version === undefined
          ? {
              kind: 'create',
              item: team.coverage({ ...emptyCoverage(r.communityId), version: 1, updatedAt: now }),
              conflictCode: 'team.coverage_changed',
            }
          : { kind: 'update', key: k.teamCoverage(r.communityId), set: { updatedAt: now }, version: r.version }
        : {
            kind: 'check',
            key: items.keyOf(r.kind, r.id),
            code: `${r.kind}.not_found`,
            message: `No such ${r.kind} in this town (or it is retired).`,
          };

  return {
    items,
    /** The transaction of a plan; undefined when the plan changes nothing. */
    change(plan: OrgChangePlan<unknown>, now: string, eventId = newId(Date.parse(now))): Change | undefined {
      if (plan.kind === 'none') return undefined;
      const { kind, id } = plan.record;
      const recordSk = items.keyOf(kind, id).sk;
      const record: Write =
        plan.kind === 'create'
          ? { kind: 'create', item: items.record(kind, id, plan.fields) }
          : { kind: 'update', key: items.keyOf(kind, id), set: plan.fields, version: plan.version };
      const checks = plan.requires.map((r) => requirement(r, now));
      const event: OrgEvent = {
        eventId,
        action: plan.event.action,
        actor,
        at: now,
        ...(plan.event.before ? { before: plan.event.before } : {}),
        ...(plan.event.after ? { after: plan.event.after } : {}),
      };
      return {
        // A new record's parent check comes first, an update's checks after the record (as they always were).
        writes: [
          ...(plan.kind === 'create' ? [...checks, record] : [record, ...checks]),
          { kind: 'put', item: items.event(recordSk, event) },
        ],
        audit: [auditEntry(k.audit, { actor, action: plan.event.action, target: recordSk, at: now })],
        ...(plan.count ? { counters: [{ key: k.counters('TOWN'), deltas: { [ORG_COUNTER[kind]]: plan.count } }] } : {}),
      };
    },
  };
}
export type OrgChanges = ReturnType<typeof orgChanges>;
