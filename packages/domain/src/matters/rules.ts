import type { CounterDelta } from '../book/rules';
import { periodContaining } from '../metrics';
import type { TownPrincipal, Principal } from '../principal';
import type { MatterActionInput, MatterEvent, MatterExtension, MatterIntake, MatterView } from './api';
import {
  type ActorRule,
  DEFAULT_LADDER,
  FINAL_MATTER_STATUSES,
  LEVEL_HANDLERS,
  type LadderConfig,
  levelsAbove,
  levelsBelow,
  MATTER_ACTIONS,
  MATTER_LADDER,
  MATTER_STATUSES,
  MATTERS_ACT,
  MAX_EXTENSIONS,
  type MatterAction,
  type MatterLevel,
  type MatterStatus,
  skipTargets,
} from './ladder';

/*
 * The ladder's decisions, as pure functions over the tables of ./ladder: the matter read, the action,
 * who acts and when in; out comes a refusal, or the matter after, its timeline entries, the counters and
 * the audit action, which `@gridline/data` writes in one transaction held at the version read.
 */

/** A matter as the rules see one: the view, and the reporter's phone as the vault sealed it. */
export type Matter = MatterView & { reporterPhoneSealed?: string };

type RefusalStatus = 403 | 409 | 422;

/** Every refusal of the ladder: a stable code, its status and a message safe to show. */
export const MATTER_REFUSALS = {
  'matter.not_of_town': { status: 403, message: 'This matter is not of your town.' },
  'matter.read_only': { status: 403, message: 'Your role reads matters but does not act on them.' },
  'matter.out_of_scope': { status: 403, message: 'This matter is not at your level or not in your grids or communities.' },
  'matter.merge_target_out_of_scope': { status: 403, message: 'The matter to merge into is not in your grids or communities.' },
  'matter.version_conflict': { status: 409, message: 'Someone acted on this matter meanwhile; here it is as it stands now.' },
  'matter.wrong_status': { status: 409, message: 'This cannot be done to the matter as it stands now.' },
  'matter.extension_pending': { status: 409, message: 'An extension is already waiting for a decision.' },
  'matter.no_extension_pending': { status: 409, message: 'No extension is waiting for a decision.' },
  'matter.merge_target_closed': { status: 409, message: 'The matter to merge into is closed or merged itself.' },
  'matter.not_at_this_level': { status: 422, message: 'This cannot be done at the level the matter stands at.' },
  'matter.no_level_above': { status: 422, message: 'There is no level above this one.' },
  'matter.no_level_below': { status: 422, message: 'There is no level below this one.' },
  'matter.skip_disabled': { status: 422, message: 'The town does not allow skipping a level.' },
  'matter.skip_target': { status: 422, message: 'A skip goes past the next level up to a level in use.' },
  'matter.send_back_target': { status: 422, message: 'A matter is sent back to a level in use below.' },
  'matter.transfer_disabled': { status: 422, message: 'The town does not transfer matters to county departments.' },
  'matter.too_many_extensions': { status: 422, message: 'This matter has had as many extensions as it may.' },
  'matter.reason_required': { status: 422, message: 'Give a reason.' },
  'matter.assignee_unknown': { status: 422, message: 'No such account in this town.' },
  'matter.assignee_same': { status: 422, message: 'The matter is already theirs.' },
  'matter.assignee_out_of_scope': { status: 422, message: 'They do not handle this level for this place.' },
  'matter.merge_self': { status: 422, message: 'A matter cannot be merged into itself.' },
  'matter.merge_target_missing': { status: 422, message: 'No such matter to merge into in this town.' },
  'matter.unknown_grid': { status: 422, message: 'No such grid in this town.' },
  'matter.unknown_category': { status: 422, message: 'Not a category of this town’s catalogue.' },
} as const satisfies Record<string, { status: RefusalStatus; message: string }>;

export type MatterRefusalCode = keyof typeof MATTER_REFUSALS;
export type MatterRefusal = { code: MatterRefusalCode; status: RefusalStatus; message: string; field?: string };

/** What an accepted action commits; `target` is the other matter a merge touches (held at its version too). */
export type MatterPlan = {
  ok: true;
  before?: Matter;
  after: Matter;
  events: MatterEvent[];
  counters: CounterDelta[];
  audit: { action: string; details: Record<string, unknown> };
  target?: { before: Matter; after: Matter; events: MatterEvent[] };
};
export type MatterDecision = MatterPlan | { ok: false; refusal: MatterRefusal };

/** An account someone may reassign a matter to, as the caller read it. */
export type MatterAssignee = Pick<TownPrincipal, 'username' | 'role' | 'townId' | 'scope'>;

/** What `decideMatter` may need beyond the matter: the town's ladder, the target of a merge, the assignee of a reassignment. */
export type MatterContext = { ladder?: LadderConfig; target?: Matter; assignee?: MatterAssignee };

const refuse = (code: MatterRefusalCode, field?: string): { ok: false; refusal: MatterRefusal } => ({
  ok: false,
  refusal: { code, status: MATTER_REFUSALS[code].status, message: MATTER_REFUSALS[code].message, ...(field ? { field } : {}) },
});

type Place = Pick<Matter, 'gridId' | 'communityId'>;
type Handler = Pick<TownPrincipal, 'role' | 'scope'>;

/** Whether someone handles `level` for the place: the level's role, and the place named in their scope. */
export function handlesLevel(p: Handler, place: Place, level: MatterLevel): boolean {
  const h = LEVEL_HANDLERS[level];
  if (p.role !== h.role) return false;
  if (h.scope === 'grid') return p.scope.grids.includes(place.gridId);
  if (h.scope === 'community') return p.scope.communities.includes(place.communityId);
  return true;
}

/**
 * Whether someone may read a matter: town admins all; auditors their communities (none named: the
 * whole town); community staff their communities; coordinators their grids.
 */
export function canReadMatter(p: Principal, m: Pick<Matter, 'townId' | 'gridId' | 'communityId'>): boolean {
  if (p.kind !== 'town' || p.townId !== m.townId) return false;
  switch (p.role) {
    case 'town_admin':
      return true;
    case 'auditor':
      return p.scope.communities.length === 0 || p.scope.communities.includes(m.communityId);
    case 'community_staff':
      return p.scope.communities.includes(m.communityId);
    case 'grid_coordinator':
      return p.scope.grids.includes(m.gridId);
    default:
      return false;
  }
}

/** Whether someone of a level reaches a place at all (any level they handle): who may merge into what. */
const reaches = (p: Handler, place: Place) => (Object.keys(LEVEL_HANDLERS) as MatterLevel[]).some((l) => handlesLevel(p, place, l));

/** The levels whose handlers may take an action of `by` on the matter. */
function actorLevels(m: Matter, by: ActorRule, ladder: LadderConfig): MatterLevel[] {
  if (by === 'current') return [m.level];
  const above = levelsAbove(ladder, m.level);
  if (by === 'above') return above.slice(0, 1);
  return [m.level, ...above];
}

const pendingExtension = (m: Matter) => m.extensions.find((e) => e.status === 'requested');

/** The principal, if it is one of the matter's town whose role acts at some level. */
function actor(m: Matter, p: Principal): { ok: false; refusal: MatterRefusal } | { ok: true; p: TownPrincipal } {
  if (p.kind !== 'town' || p.townId !== m.townId) return refuse('matter.not_of_town');
  if (!MATTERS_ACT.includes(p.role)) return refuse('matter.read_only');
  return { ok: true, p };
}

/**
 * Whether the table lets this principal take this action on the matter as it stands (version aside):
 * the status, the level, who acts, and what the town's ladder has room for. Returns the level the
 * principal acts at.
 */
function gate(
  m: Matter,
  action: MatterAction,
  p: TownPrincipal,
  ladder: LadderConfig,
): { ok: false; refusal: MatterRefusal } | { ok: true; at: MatterLevel } {
  const rule = MATTER_LADDER[action];
  if (!rule.from.includes(m.status)) return refuse('matter.wrong_status');
  if (rule.levels && !rule.levels.includes(m.level)) return refuse('matter.not_at_this_level');
  const at = actorLevels(m, rule.by, ladder).find((l) => handlesLevel(p, m, l));
  if (!at) return refuse('matter.out_of_scope');
  switch (action) {
    case 'escalate':
      if (levelsAbove(ladder, m.level).length === 0) return refuse('matter.no_level_above');
      break;
    case 'skip':
      if (!ladder.allowSkip) return refuse('matter.skip_disabled');
      if (skipTargets(ladder, m.level).length === 0) return refuse('matter.skip_target', 'to');
      break;
    case 'send_back':
      if (levelsBelow(ladder, m.level).length === 0) return refuse('matter.no_level_below');
      break;
    case 'transfer':
      if (!ladder.allowTransfer) return refuse('matter.transfer_disabled');
      break;
    case 'request_extension':
      if (levelsAbove(ladder, m.level).length === 0) return refuse('matter.no_level_above');
      if (pendingExtension(m)) return refuse('matter.extension_pending');
      if (m.extensions.length >= MAX_EXTENSIONS) return refuse('matter.too_many_extensions');
      break;
    case 'approve_extension':
    case 'reject_extension':
      if (!pendingExtension(m)) return refuse('matter.no_extension_pending');
      break;
  }
  return { ok: true, at };
}

/** The actions the principal may take on the matter now: what the page offers. `decideMatter` takes no other. */
export function allowedActions(m: Matter, p: Principal, ladder: LadderConfig = DEFAULT_LADDER): MatterAction[] {
  const who = actor(m, p);
  if (!who.ok) return [];
  return MATTER_ACTIONS.filter((a) => gate(m, a, who.p, ladder).ok);
}

// Counters: flows in the month of `now` (China time), the stock of active matters in the town and grid.

const monthScope = (now: string): CounterDelta['scope'] => `MONTH#${periodContaining(now, 'month')}`;
/** One count of `kind`: in total, at the level and in the category. */
const flow = (kind: string, level: MatterLevel, categoryId: string) => ({
  [`matters_${kind}`]: 1,
  [`matters_${kind}_${level}`]: 1,
  [`matters_${kind}_cat_${categoryId}`]: 1,
});
function counters(now: string, month: Record<string, number>, active?: { gridId: string; delta: 1 | -1 }): CounterDelta[] {
  const out: CounterDelta[] = [];
  if (Object.keys(month).length) out.push({ scope: monthScope(now), deltas: month });
  if (active) {
    out.push({ scope: 'TOWN', deltas: { matters_active: active.delta } });
    out.push({ scope: `GRID#${active.gridId}`, deltas: { matters_active: active.delta } });
  }
  return out;
}

/** The pending extension lapses when the matter leaves its level or is resolved, merged or transferred. */
const lapse = (exts: readonly MatterExtension[]): MatterExtension[] =>
  exts.map((e) => (e.status === 'requested' ? { ...e, status: 'lapsed' as const } : e));

/** The matter arriving at `level` (open there): the level's clock restarts, nobody holds it yet. */
function arrive(m: Matter, level: MatterLevel, now: string): Matter {
  const { acceptedAt: _a, assignee: _s, resolution: _r, ...rest } = m;
  return { ...rest, status: 'open', level, levelSince: now, extensions: lapse(m.extensions) };
}

/**
 * Decides one action on a matter: refuses it (403 who, 409 when, 422 what) or returns what to commit.
 * Checks run in this order: the town and the role, the version, the ladder's table (status, level, who,
 * room on the ladder), then what the action carries (targets, assignees, reasons).
 */
export function decideMatter(m: Matter, input: MatterActionInput, p: Principal, now: string, ctx: MatterContext = {}): MatterDecision {
  const ladder = ctx.ladder ?? DEFAULT_LADDER;
  const who = actor(m, p);
  if (!who.ok) return who;
  if (input.version !== m.version) return refuse('matter.version_conflict', 'version');
  const g = gate(m, input.action, who.p, ladder);
  if (!g.ok) return g;
  const by = who.p.username;
  const base: Matter = { ...m, version: m.version + 1, updatedAt: now };
  const event = (kind: string, after: Matter, details: Record<string, unknown> = {}): MatterEvent => ({
    kind,
    at: now,
    actor: by,
    level: m.level,
    status: after.status,
    details: { actingLevel: g.at, ...details },
    ...(input.attachmentIds?.length ? { attachmentIds: input.attachmentIds } : {}),
  });
  const done = (after: Matter, events: MatterEvent[], cs: CounterDelta[], details: Record<string, unknown> = {}): MatterPlan => ({
    ok: true,
    before: m,
    after,
    events,
    counters: cs,
    audit: { action: `matter.${input.action}`, details: { matterId: m.matterId, level: m.level, to: after.level, ...details } },
  });
  const cat = m.categoryId;

  switch (input.action) {
    case 'accept': {
      const after: Matter = { ...base, status: 'accepted', acceptedAt: now, assignee: by };
      return done(after, [event('accepted', after, input.note ? { note: input.note } : {})], counters(now, flow('accepted', m.level, cat)));
    }
    case 'resolve': {
      const after: Matter = {
        ...base,
        status: 'resolved',
        resolution: { text: input.resolution, by, at: now },
        extensions: lapse(m.extensions),
      };
      return done(after, [event('resolved', after, { resolution: input.resolution })], counters(now, flow('resolved', m.level, cat)));
    }
    case 'escalate': {
      const to = levelsAbove(ladder, m.level)[0] as MatterLevel;
      const after = arrive(base, to, now);
      return done(
        after,
        [event('escalated', after, { from: m.level, to, reason: input.reason })],
        counters(now, flow('escalated', m.level, cat)),
        { reason: input.reason },
      );
    }
    case 'skip': {
      if (!skipTargets(ladder, m.level).includes(input.to)) return refuse('matter.skip_target', 'to');
      const after = arrive(base, input.to, now);
      return done(
        after,
        [event('skipped', after, { from: m.level, to: input.to, reason: input.reason })],
        counters(now, { ...flow('escalated', m.level, cat), matters_skipped: 1 }),
        { reason: input.reason },
      );
    }
    case 'send_back': {
      const below = levelsBelow(ladder, m.level);
      const to = input.to ?? (below[0] as MatterLevel);
      if (!below.includes(to)) return refuse('matter.send_back_target', 'to');
      const after = arrive(base, to, now);
      return done(
        after,
        [event('sent_back', after, { from: m.level, to, reason: input.reason })],
        counters(now, { matters_sent_back: 1, [`matters_sent_back_${m.level}`]: 1 }),
        { reason: input.reason },
      );
    }
    case 'reassign': {
      const a = ctx.assignee;
      if (!a || a.username !== input.assignee || a.townId !== m.townId) return refuse('matter.assignee_unknown', 'assignee');
      if (a.username === m.assignee) return refuse('matter.assignee_same', 'assignee');
      if (!handlesLevel(a, m, m.level)) return refuse('matter.assignee_out_of_scope', 'assignee');
      const after: Matter = { ...base, assignee: a.username };
      const details = { from: m.assignee ?? null, to: a.username, ...(input.reason ? { reason: input.reason } : {}) };
      return done(after, [event('reassigned', after, details)], [], details);
    }
    case 'merge': {
      if (input.targetId === m.matterId) return refuse('matter.merge_self', 'targetId');
      const t = ctx.target;
      if (!t || t.matterId !== input.targetId || t.townId !== m.townId) return refuse('matter.merge_target_missing', 'targetId');
      if (FINAL_MATTER_STATUSES.includes(t.status)) return refuse('matter.merge_target_closed', 'targetId');
      if (!reaches(who.p, t)) return refuse('matter.merge_target_out_of_scope', 'targetId');
      const after: Matter = { ...base, status: 'merged', mergedInto: t.matterId, extensions: lapse(m.extensions) };
      const targetAfter: Matter = { ...t, version: t.version + 1, duplicates: t.duplicates + 1, updatedAt: now };
      const targetEvent: MatterEvent = {
        kind: 'duplicate_merged',
        at: now,
        actor: by,
        level: t.level,
        status: t.status,
        details: { duplicateId: m.matterId, reason: input.reason },
      };
      return {
        ...done(
          after,
          [event('merged', after, { into: t.matterId, reason: input.reason })],
          counters(now, { matters_merged: 1 }, { gridId: m.gridId, delta: -1 }),
          { into: t.matterId, reason: input.reason },
        ),
        target: { before: t, after: targetAfter, events: [targetEvent] },
      };
    }
    case 'transfer': {
      const after: Matter = {
        ...base,
        status: 'transferred',
        transfer: { department: input.department, by, at: now },
        extensions: lapse(m.extensions),
      };
      return done(
        after,
        [event('transferred', after, { department: input.department, reason: input.reason })],
        counters(now, { matters_transferred: 1 }),
        { department: input.department, reason: input.reason },
      );
    }
    case 'request_extension': {
      const ext: MatterExtension = {
        level: m.level,
        until: input.until,
        reason: input.reason,
        requestedBy: by,
        requestedAt: now,
        status: 'requested',
      };
      const after: Matter = { ...base, extensions: [...m.extensions, ext] };
      return done(
        after,
        [event('extension_requested', after, { until: input.until, reason: input.reason })],
        counters(now, { matters_extension_requested: 1 }),
      );
    }
    case 'approve_extension':
    case 'reject_extension': {
      const approved = input.action === 'approve_extension';
      const decided: Partial<MatterExtension> = {
        status: approved ? 'approved' : 'rejected',
        decidedBy: by,
        decidedAt: now,
        ...(input.reason ? { decisionReason: input.reason } : {}),
      };
      const after: Matter = { ...base, extensions: m.extensions.map((e) => (e.status === 'requested' ? { ...e, ...decided } : e)) };
      const pending = pendingExtension(m) as MatterExtension;
      return done(
        after,
        [
          event(approved ? 'extension_approved' : 'extension_rejected', after, {
            until: pending.until,
            ...(input.reason ? { reason: input.reason } : {}),
          }),
        ],
        counters(now, { [approved ? 'matters_extension_approved' : 'matters_extension_rejected']: 1 }),
      );
    }
    case 'return_visit': {
      const visit = { reachedBy: input.reachedBy, satisfaction: input.satisfaction, ...(input.reason ? { reason: input.reason } : {}) };
      const bucket = { [`matters_visit_${input.satisfaction}`]: 1 };
      if (input.satisfaction === 'dissatisfied') {
        if (!input.reason) return refuse('matter.reason_required', 'reason');
        const after: Matter = { ...arrive(base, m.level, now), reopens: m.reopens + 1 };
        return done(
          after,
          [event('return_visit', after, visit), event('reopened', after, { reason: input.reason })],
          counters(now, { ...bucket, ...flow('reopened', m.level, cat) }),
          visit,
        );
      }
      const after: Matter = { ...base, status: 'closed', closure: { how: 'visit', ...visit, by, at: now } };
      return done(
        after,
        [event('return_visit', after, visit), event('closed', after)],
        counters(now, { ...bucket, ...flow('closed', m.level, cat) }, { gridId: m.gridId, delta: -1 }),
        visit,
      );
    }
    case 'close_without_visit': {
      const after: Matter = { ...base, status: 'closed', closure: { how: 'no_visit', reason: input.reason, by, at: now } };
      return done(
        after,
        [event('closed', after, { withoutVisit: true, reason: input.reason })],
        counters(now, { ...flow('closed', m.level, cat), matters_closed_no_visit: 1 }, { gridId: m.gridId, delta: -1 }),
        { reason: input.reason },
      );
    }
  }
}

/** What intake needs beyond the form: the new id, the grid's community as the org chart has it, the catalogue, the sealed phone. */
export type IntakeContext = {
  matterId: string;
  /** The community of the intake's grid, read from the org chart; absent when the town has no such grid. */
  communityId: string | undefined;
  /** The ids of the categories of the town's catalogue that are in use. */
  categories: readonly string[];
  /** The reporter's phone as the vault sealed and masked it (free-text reporters only). */
  reporterPhone?: { sealed: string; masked: string };
};

/**
 * Raises a matter (登记): it starts open at the grid, whoever raises it. Coordinators raise in their
 * grids, community staff in their communities, town admins anywhere; other roles do not raise.
 */
export function planIntake(input: MatterIntake, p: Principal, now: string, ctx: IntakeContext): MatterDecision {
  if (p.kind !== 'town') return refuse('matter.not_of_town');
  if (!MATTERS_ACT.includes(p.role)) return refuse('matter.read_only');
  if (ctx.communityId === undefined) return refuse('matter.unknown_grid', 'gridId');
  const place = { gridId: input.gridId, communityId: ctx.communityId };
  if (!reaches(p, place)) return refuse('matter.out_of_scope', 'gridId');
  if (!ctx.categories.includes(input.categoryId)) return refuse('matter.unknown_category', 'categoryId');
  const { reporter: given, attachmentIds, ...form } = input;
  const reporter: Matter['reporter'] =
    'personId' in given
      ? { personId: given.personId }
      : { name: given.name, ...(given.phone && ctx.reporterPhone ? { phoneMasked: ctx.reporterPhone.masked } : {}) };
  const after: Matter = {
    ...form,
    matterId: ctx.matterId,
    townId: p.townId,
    version: 1,
    status: 'open',
    level: 'grid',
    levelSince: now,
    communityId: ctx.communityId,
    reporter,
    ...('personId' in given || !given.phone || !ctx.reporterPhone ? {} : { reporterPhoneSealed: ctx.reporterPhone.sealed }),
    attachmentIds: attachmentIds ?? [],
    extensions: [],
    reopens: 0,
    duplicates: 0,
    raisedBy: p.username,
    raisedAt: now,
    updatedAt: now,
  };
  const details = {
    categoryId: input.categoryId,
    urgency: input.urgency,
    channel: input.channel,
    ...(input.hotlineRef ? { hotlineRef: input.hotlineRef } : {}),
  };
  return {
    ok: true,
    after,
    events: [
      {
        kind: 'raised',
        at: now,
        actor: p.username,
        level: 'grid',
        status: 'open',
        details,
        ...(attachmentIds?.length ? { attachmentIds } : {}),
      },
    ],
    counters: counters(
      now,
      { ...flow('raised', 'grid', input.categoryId), [`matters_raised_via_${input.channel}`]: 1 },
      { gridId: input.gridId, delta: 1 },
    ),
    audit: { action: 'matter.raise', details: { matterId: ctx.matterId, gridId: input.gridId } },
  };
}

/** Whether a value read back from storage is one of the ladder's statuses. */
export const isMatterStatus = (s: unknown): s is MatterStatus =>
  typeof s === 'string' && (MATTER_STATUSES as readonly string[]).includes(s);
