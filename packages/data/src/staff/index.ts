import {
  AppError,
  checkManaged,
  checkUsername,
  isActive,
  newId,
  planStaffChange,
  planStaffDisable,
  planStaffEnable,
  type Revocations,
  type StaffChange,
  type StaffEvent,
  type StaffInvite,
  type StaffMember,
  type StaffPlan,
  type StaffRecord,
  scopeOf,
  type TownPrincipal,
  withRevocation,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { townKeys } from '../keys';
import { batchGetAll, type Change, commitChange, getItem, type Item, publicFields, queryAll, queryPage, type Write } from '../ops';

/** The longest history a staff member's page shows. */
const HISTORY_LIMIT = 200;

type Stored = StaffRecord & Item & { userId?: string; posts?: string[]; createdAt?: string; updatedAt?: string; disabledReason?: string };

const view = (item: Item): StaffMember => {
  const s = publicFields<Stored>(item);
  return { ...s, status: s.status ?? 'active', posts: s.posts ?? [] } as StaffMember;
};

/**
 * Staff of the roles other than grid coordinator, as a town admin manages them (`@gridline/data/staff`):
 * the record (`USER#<username>` in the staff partition, the same item the staff list reads), its history,
 * and each change as ONE transaction — the record at the version read, a history entry, the town's audit
 * entry and, when the person's tokens must end (a change of role or scope, a disabling), the town's
 * revocation list on its status item (decision 67), which the pipeline reads on every request anyway.
 * Rules come from `@gridline/domain` (staff/rules). The directory is brought in line by the caller
 * (functions/src/staff), around these saves.
 */
export function staffOf(principal: TownPrincipal) {
  const k = townKeys(principal.townId);
  const actor = principal.username;

  const notFound = () => new AppError('staff.not_found', 404, 'No such staff member in this town.');

  async function read(username: string, consistent: boolean): Promise<Stored> {
    const item = await getItem<Item>(k.staff(username), { consistent });
    if (!item) throw notFound();
    return publicFields<Stored>(item);
  }

  /** Every staff record of the town (a few dozen), read when a change could leave it without an admin. */
  const everyone = async (): Promise<Stored[]> =>
    (await queryAll<Item>(k.staffPk, undefined, { consistent: true })).map((i) => publicFields<Stored>(i));

  async function checkCommunities(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    const found = await batchGetAll<{ communityId: string; status?: string }>(ids.map((c) => k.community(c)));
    const ok = new Set(found.filter((c) => c.status !== 'retired').map((c) => c.communityId));
    const missing = ids.filter((c) => !ok.has(c));
    if (missing.length)
      throw new AppError('staff.community_unknown', 422, `Not an active community of this town: ${missing.join(', ')}.`, {
        field: 'body.communityIds',
      });
  }

  async function revocation(username: string, now: string): Promise<Write> {
    const item = await getItem<{ revoked?: Revocations; version: number }>(k.meta(), { consistent: true });
    if (!item) throw new AppError('tenant.unknown', 403, 'Your town is not provisioned.');
    const revoked = withRevocation(item.revoked, username, Math.floor(Date.parse(now) / 1000));
    return { kind: 'update', key: k.meta(), set: { revoked }, version: item.version };
  }

  const event = (username: string, kind: StaffEvent['kind'], details: Item, now: string): Write => {
    const eventId = newId(Date.parse(now));
    return { kind: 'put', item: { ...k.staffEvent(username, now, eventId), type: 'StaffEvent', eventId, at: now, actor, kind, details } };
  };

  /** The admin whose record the transaction also touches, so two admins cannot each remove the other at once. */
  function adminGuard(plan: Extract<StaffPlan, { kind: 'save' }>, others: readonly Stored[]): Write[] {
    const b = plan.before;
    const losesAdmin = b.role === 'town_admin' && isActive(b) && (plan.record.role !== 'town_admin' || !isActive(plan.record));
    if (!losesAdmin) return [];
    const keeper = others.find((o) => o.username !== b.username && o.role === 'town_admin' && isActive(o));
    return keeper
      ? [{ kind: 'update', key: k.staff(keeper.username), set: {}, version: keeper.version, expect: { role: 'town_admin' } }]
      : [];
  }

  /** Saves a plan: the record at its version, history, audit, revocation and admin guard in one transaction. */
  async function save(
    plan: Extract<StaffPlan, { kind: 'save' }>,
    kind: StaffEvent['kind'],
    others: readonly Stored[],
    now: string,
  ): Promise<StaffMember> {
    const r = plan.record;
    const set: Item = { role: r.role, communityIds: r.communityIds, gridIds: r.gridIds, status: r.status ?? 'active', updatedAt: now };
    const disabling = kind === 'disable';
    const change: Change = {
      writes: [
        {
          kind: 'update',
          key: k.staff(r.username),
          set: disabling ? { ...set, disabledReason: plan.details.reason } : set,
          version: plan.before.version,
          ...(disabling ? {} : { unset: ['disabledReason'] }),
        },
        event(r.username, kind, plan.details, now),
        ...(plan.revoke ? [await revocation(r.username, now)] : []),
        ...adminGuard(plan, others),
      ],
      audit: [auditEntry(k.audit, { actor, action: `staff.${kind}`, target: r.username, at: now, details: plan.details })],
    };
    await commitChange(change);
    const { disabledReason: _was, ...kept } = plan.before as Stored;
    return view({ ...kept, ...set, ...(disabling ? { disabledReason: plan.details.reason } : {}), version: plan.before.version + 1 });
  }

  return {
    /** A record as last saved (strongly consistent); coordinators too (the caller refuses them). */
    record: async (username: string): Promise<StaffMember> => view(await read(username, true)),

    /** A record and its history, oldest first. */
    async get(username: string): Promise<{ staff: StaffMember; history: StaffEvent[] }> {
      const [record, events] = await Promise.all([
        read(username, false),
        queryPage<Item>({ pk: k.staffEventsPk(username), limit: HISTORY_LIMIT, listing: 'staff.history' }),
      ]);
      return {
        staff: view(record),
        history: events.items.map((i) => {
          const e = publicFields<StaffEvent>(i);
          return { eventId: e.eventId, at: e.at, actor: e.actor, kind: e.kind, details: e.details ?? {} };
        }),
      };
    },

    /**
     * Checks an invitation and says what record it makes: the sign-in of this town, the role's scope,
     * communities that exist. `existing` is the record already under that sign-in, if any.
     */
    async prepareInvite(body: StaffInvite): Promise<{ record: StaffRecord; existing?: StaffMember }> {
      checkUsername(principal.townId, body.username);
      const communityIds = scopeOf(body.role, body.communityIds);
      const [existing] = await Promise.all([getItem<Item>(k.staff(body.username), { consistent: true }), checkCommunities(communityIds)]);
      const record: StaffRecord = {
        username: body.username,
        displayName: body.name,
        role: body.role,
        communityIds,
        gridIds: [],
        status: 'active',
        version: 1,
      };
      return existing ? { record, existing: view(existing) } : { record };
    },

    /** Saves a new staff member (409 `staff.exists` if the sign-in is already on the staff). */
    async invite(record: StaffRecord, now: string): Promise<StaffMember> {
      const item: Item = { ...record, userId: newId(Date.parse(now)), posts: [], createdAt: now, updatedAt: now };
      const details = { role: record.role, communityIds: record.communityIds };
      await commitChange({
        writes: [
          { kind: 'create', item: { ...k.staff(record.username), type: 'Staff', ...item }, conflictCode: 'staff.exists' },
          event(record.username, 'invite', details, now),
        ],
        audit: [auditEntry(k.audit, { actor, action: 'staff.invite', target: record.username, at: now, details })],
        counters: [{ key: k.counters('TOWN'), deltas: { staff: 1 } }],
      });
      return view(item);
    },

    /** Changes role or scope; `none` when the record already is what was asked (a repeat). */
    async change(username: string, body: StaffChange, now: string): Promise<{ saved: boolean; record: StaffMember; before: StaffMember }> {
      const target = await read(username, true);
      checkManaged(target);
      if (body.communityIds) await checkCommunities(body.communityIds);
      const others = target.role === 'town_admin' ? await everyone() : [];
      const plan = planStaffChange(target, body, others);
      if (plan.kind === 'none') return { saved: false, record: view(target), before: view(target) };
      return { saved: true, record: await save(plan, 'change', others, now), before: view(target) };
    },

    /** Disables a sign-in (its tokens revoked); `saved` false when it already was. */
    async disable(username: string, reason: string, now: string): Promise<{ saved: boolean; record: StaffMember }> {
      const target = await read(username, true);
      checkManaged(target);
      const others = target.role === 'town_admin' ? await everyone() : [];
      const plan = planStaffDisable(actor, target, reason, others);
      if (plan.kind === 'none') return { saved: false, record: view(target) };
      return { saved: true, record: await save(plan, 'disable', others, now) };
    },

    /** Enables a disabled sign-in; `saved` false when it already was active. */
    async enable(username: string, reason: string | undefined, now: string): Promise<{ saved: boolean; record: StaffMember }> {
      const target = await read(username, true);
      const plan = planStaffEnable(target, reason);
      if (plan.kind === 'none') return { saved: false, record: view(target) };
      return { saved: true, record: await save(plan, 'enable', [], now) };
    },
  };
}
export type StaffData = ReturnType<typeof staffOf>;
