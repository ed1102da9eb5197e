import {
  AppError,
  type CounterDelta,
  type HouseholdPlan,
  type MemberMove,
  newId,
  type PlannedEvent,
  type PersonPlan,
  planNewPerson,
  planCorrection,
  householdCounts,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { type AuditEntry, type Change, type CounterMove, type Item, MAX_TRANSACTION_ITEMS, type Write } from '../ops';
import { bookItems, type StoredHousehold, type StoredPerson } from './items';

/**
 * The transactions of one town's population book: each turns a plan of the book's rules
 * (`@gridline/domain`, book/rules) into the items, keys and counter moves of ONE transaction. Pure:
 * nothing here reads or writes, so every builder is tested without DynamoDB. The importer commits
 * the same transactions as the routes, so imported records are indistinguishable.
 */
export function bookChanges(townId: string, actor: string) {
  const items = bookItems(townId);
  const k = items.keys;

  const counter = (c: CounterDelta): CounterMove => ({ key: k.counters(c.scope), deltas: c.deltas });

  /**
   * A household's member count. Joining moves it only while the household is active (and, when the
   * caller read it, at that version, so a person never joins with a courtyard the household no longer
   * has): a household closed or changed meanwhile fails the whole change. Leaving has no condition.
   */
  const member = (m: MemberMove): CounterMove => ({
    key: k.household(m.gridId, m.householdId),
    deltas: { members: m.delta },
    ...(m.delta < 0
      ? {}
      : {
          onlyIf:
            m.version === undefined
              ? { expect: { status: 'active' }, code: 'household.closed', message: 'This household is closed.' }
              : {
                  expect: { status: 'active', version: m.version },
                  code: 'household.changed',
                  message: 'The household was changed or closed meanwhile; reload and try again.',
                },
        }),
  });

  /** The history entries of a plan; one listed `after: 'created'` sorts right after that event (same instant, a later id). */
  const events = (personId: string, now: string, list: PlannedEvent[]): Write[] => {
    let createdId = '';
    return list.map(({ after, ...e }) => {
      const eventId = after === 'created' && createdId ? `${createdId}~${e.kind}` : newId(Date.parse(now));
      if (e.kind === 'created') createdId = eventId;
      return { kind: 'put', item: items.personEvent(personId, now, eventId, actor, e) };
    });
  };

  const audit = (a: { action: string; details?: Record<string, unknown> | undefined }, target: string, now: string): AuditEntry =>
    auditEntry(k.audit, { actor, action: a.action, target, at: now, ...(a.details ? { details: a.details } : {}) });

  const plannedCounters = (plan: PersonPlan): CounterMove[] => [...plan.members.map(member), ...plan.counters.map(counter)];

  /** Index writes taking a person's tag entries from `before` to `after`: drop the gone, (re)write the rest. */
  const entryChanges = (before: StoredPerson, after: StoredPerson | undefined): Write[] => {
    const next = after && after.status === 'active' ? items.tagEntries(after) : [];
    const keep = new Set(next.map((e) => `${e.pk}|${e.sk}`));
    return [
      ...items
        .tagEntries(before)
        .filter((e) => !keep.has(`${e.pk}|${e.sk}`))
        .map((e): Write => ({ kind: 'remove', key: { pk: e.pk, sk: e.sk } })),
      ...next.map((item): Write => ({ kind: 'put', item })),
    ];
  };

  /**
   * Any planned change of one person. The record is replaced at `version` where it is, or — when
   * the plan moves it to another household — deleted there at `version` and written in its new
   * partition, its ID lock following; tag entries follow the record (a closed record has none).
   */
  const personChange = (plan: PersonPlan, version: number, now: string): Change => {
    const before = (plan.before ?? plan.after) as StoredPerson;
    const after = plan.after as StoredPerson;
    const moves = before.gridId !== after.gridId || before.householdId !== after.householdId;
    const record: Write[] = moves
      ? [
          { kind: 'delete', key: k.person(before.gridId, before.householdId, before.personId), version },
          { kind: 'put', item: items.person(after) },
          { kind: 'put', item: items.idLock(after) },
        ]
      : [{ kind: 'replace', item: items.person(after), version }];
    return {
      writes: [...record, ...(plan.before ? entryChanges(before, after) : []), ...events(after.personId, now, plan.events)],
      audit: [audit(plan.audit, after.personId, now)],
      counters: plannedCounters(plan),
    };
  };

  return {
    items,
    personChange,

    /** Adding one person: ID lock, record, tag entries, events, audit, member count, counters. */
    newPersonChange(p: StoredPerson, now: string, householdVersion?: number): Change {
      const plan = planNewPerson(p, now, householdVersion);
      return {
        writes: [
          { kind: 'create', item: items.idLock(p), conflictCode: 'person.duplicate_id' },
          { kind: 'create', item: items.person(p) },
          ...items.tagEntries(p).map((item): Write => ({ kind: 'put', item })),
          ...events(p.personId, now, plan.events),
        ],
        audit: [audit(plan.audit, p.personId, now)],
        counters: plannedCounters(plan),
      };
    },

    /** Rewriting one person in place (same grid and household): record, tag entries, `changed` event, counters. */
    replaceChange(before: StoredPerson, after: StoredPerson, now: string, details: Item = {}): Change {
      return personChange(planCorrection(before, after, now, details), before.version, now);
    },

    /** Adding one household: record (indexed by courtyard), the courtyard checked, its code's lock, audit, counters. */
    newHouseholdChange(h: StoredHousehold): Change {
      const writes: Write[] = [{ kind: 'create', item: items.household(h) }];
      if (h.courtyardId)
        writes.push({
          kind: 'check',
          key: k.courtyard(h.courtyardId),
          code: 'courtyard.not_found',
          message: 'No such courtyard in this town (or it is retired).',
        });
      if (h.code)
        writes.push({ kind: 'create', item: items.householdCode(h.code, h.gridId, h.householdId), conflictCode: 'household.code_taken' });
      return {
        writes,
        audit: [audit({ action: 'household.create' }, h.householdId, h.createdAt)],
        counters: householdCounts(h, 1).map(counter),
      };
    },

    /**
     * Correcting a household's address at the version read: the record, its courtyard index and code
     * lock, and the members a new courtyard carries along (each record with a `changed` event). One
     * transaction holds at most 100 items: a household that large is refused rather than half moved.
     */
    householdChange(before: StoredHousehold, plan: HouseholdPlan<StoredHousehold, StoredPerson>, now: string): Change {
      const { gridId, householdId } = before;
      const to = plan.courtyard?.to;
      const set: Item = { door: plan.after.door, updatedAt: now };
      const unset: string[] = [];
      if (to) Object.assign(set, { courtyardId: to, ...items.householdYardIndex(to, householdId) });
      else if (plan.courtyard) unset.push('courtyardId', 'gsi1pk', 'gsi1sk');
      if (plan.after.code) set.code = plan.after.code;
      else if (before.code) unset.push('code');
      const writes: Write[] = [
        {
          kind: 'update',
          key: k.household(gridId, householdId),
          set,
          version: before.version,
          ...(unset.length ? { unset } : {}),
          // The members read are all there are: one joining or leaving meanwhile fails the change.
          ...(plan.courtyard ? { expect: { members: before.members } } : {}),
        },
      ];
      if (to)
        writes.push({
          kind: 'check',
          key: k.courtyard(to),
          code: 'courtyard.not_found',
          message: 'No such courtyard in this town (or it is retired).',
        });
      if (plan.code) {
        if (plan.code.from) writes.push({ kind: 'remove', key: k.householdCode(plan.code.from) });
        if (plan.code.to)
          writes.push({
            kind: 'create',
            item: items.householdCode(plan.code.to, gridId, householdId),
            conflictCode: 'household.code_taken',
          });
      }
      for (const m of plan.members)
        writes.push(
          { kind: 'replace', item: items.person({ ...m.after, updatedAt: now }), version: m.before.version },
          ...events(m.after.personId, now, [{ kind: 'changed', on: now.slice(0, 10), fields: ['courtyardId'], household: householdId }]),
        );
      const counters = plan.counters.map(counter);
      if (writes.length + 1 + counters.length > MAX_TRANSACTION_ITEMS)
        throw new AppError('household.too_large', 422, 'This household has too many members to move at once.');
      return { writes, audit: [audit(plan.audit, householdId, now)], counters };
    },

    /** Closing an empty household at the version read; nobody may have joined since (joining needs it active). */
    householdClose(
      before: StoredHousehold,
      plan: { closing: Item; counters: CounterDelta[]; audit: { action: string; details: Record<string, unknown> } },
      now: string,
    ): Change {
      return {
        writes: [
          {
            kind: 'update',
            key: k.household(before.gridId, before.householdId),
            set: { ...plan.closing, updatedAt: now },
            version: before.version,
            expect: { members: 0 },
          },
        ],
        audit: [audit(plan.audit, before.householdId, now)],
        counters: plan.counters.map(counter),
      };
    },

    /** A reveal: nothing but its audit entry, in the same transaction as the hour's allowance it uses. */
    revealChange(personId: string, field: 'idNumber' | 'phone', reason: string, now: string, limit: number): Change {
      return {
        writes: [],
        audit: [audit({ action: 'person.reveal', details: { field, reason } }, personId, now)],
        counters: [],
        quota: { key: k.revealQuota(actor, now.slice(0, 13)), limit },
      };
    },
  };
}
export type BookChanges = ReturnType<typeof bookChanges>;
