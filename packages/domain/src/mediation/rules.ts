import type { CounterDelta } from '../book/rules';
import { shanghaiDay } from '../common/days';
import type { AppError } from '../errors';
import { periodContaining } from '../metrics';
import { addDays } from '../visits/cycle';
import type { Principal, TownPrincipal } from '../principal';
import {
  DISPUTE_TYPES,
  type DisputeType,
  type EscalateInput,
  FINAL_MEDIATION_STATUSES,
  type FollowUpInput,
  type InvitationInput,
  type MediationAction,
  MEDIATION_LEVELS,
  MEDIATION_WRITE,
  type MediationCaseView,
  type MediationEvent,
  type MediationIntake,
  type MediationLevel,
  type NoteInput,
  type OutcomeInput,
  type ParticipantRole,
  type PartyView,
  type SessionInput,
} from './api';
import {
  diversionRefusal,
  escalationRefusal,
  holdsPost,
  type MediationRefusalCode,
  type MediatorPost,
  mediationRefusal,
  mediatorsOf,
  nextLevel,
} from './ladder';

/*
 * Mediation's decisions as pure functions: the case read, the step, who takes it and when in; out comes a
 * refusal (an AppError with a stable code) or the case after, its timeline entries, the counters and the
 * audit action, which the data layer writes in one transaction held at the version read.
 */

/** A case as the rules see one: the view, and each party's ID hash (null when unknown) for repeat detection. */
export type MediationCase = MediationCaseView & { partyKeys: readonly (string | null)[] };

/** An outside participant invited to a case (joint mediation), as stored. */
export type MediationInvitation = {
  caseId: string;
  role: ParticipantRole;
  name: string;
  /** The last day (Asia/Shanghai) the invitation grants access. */
  until: string;
  /** The account they sign in with; without one the invitation grants no access. */
  username?: string;
  invitedBy: string;
  invitedAt: string;
};

/** What an invited participant may do: take part in sessions and give their opinion, never decide. */
export const PARTICIPANT_ACTIONS: readonly MediationAction[] = ['session', 'note'];

/** What an accepted step commits. `invitation`: the invitation to store (invite only). */
export type MediationPlan = {
  ok: true;
  before?: MediationCase;
  after: MediationCase;
  events: MediationEvent[];
  counters: CounterDelta[];
  audit: { action: string; details: Record<string, unknown> };
  invitation?: MediationInvitation;
};
export type MediationDecision = MediationPlan | { ok: false; error: AppError };

/** What a step may need beyond the case: the team's mediation posts and the case's invitations. */
export type MediationContext = { posts?: readonly MediatorPost[]; invitations?: readonly MediationInvitation[] };

const refuse = (code: MediationRefusalCode, options: { field?: string; current?: unknown } = {}) => ({
  ok: false as const,
  error: mediationRefusal(code, options),
});

/** The days after signing a follow-up falls due, unless the town says otherwise (回访: a month, then three). */
export const DEFAULT_FOLLOW_UP_DAYS: readonly number[] = [30, 90];

/** The days an agreement signed on `signedOn` is followed up, in order, each once (an empty schedule: the default). */
export function followUpSchedule(signedOn: string, days: readonly number[] = DEFAULT_FOLLOW_UP_DAYS): string[] {
  const use = days.length ? days : DEFAULT_FOLLOW_UP_DAYS;
  return [...new Set(use)].sort((a, b) => a - b).map((d) => addDays(signedOn, d));
}

// Who sees and who acts.

const inTown = (p: Principal, c: Pick<MediationCase, 'townId'>): p is TownPrincipal => p.kind === 'town' && p.townId === c.townId;

/** The invitation that lets `p` into the case now: theirs, for this case, `now` on or before its last day. */
export function activeInvitation(
  p: Principal,
  c: Pick<MediationCase, 'caseId' | 'townId'>,
  now: string,
  invitations: readonly MediationInvitation[],
): MediationInvitation | undefined {
  if (!inTown(p, c)) return undefined;
  const today = shanghaiDay(now);
  return invitations.find((i) => i.caseId === c.caseId && i.username !== undefined && i.username === p.username && today <= i.until);
}

type Placed = Pick<MediationCase, 'caseId' | 'townId' | 'gridId' | 'communityId' | 'level'>;

/**
 * Whether someone may read a case: town admins all; auditors their communities (none named: the whole
 * town); community staff their communities; coordinators and mediators their grids and wherever they
 * hold a mediation post; an invited participant their case while the invitation runs.
 */
export function maySeeCase(
  p: Principal,
  c: Placed,
  now: string,
  invitations: readonly MediationInvitation[] = [],
  posts: readonly MediatorPost[] = [],
): boolean {
  if (!inTown(p, c)) return false;
  if (activeInvitation(p, c, now, invitations)) return true;
  switch (p.role) {
    case 'town_admin':
      return true;
    case 'auditor':
      return p.scope.communities.length === 0 || p.scope.communities.includes(c.communityId);
    case 'community_staff':
      return p.scope.communities.includes(c.communityId) || MEDIATION_LEVELS.some((l) => holdsPost(posts, p.username, l, c));
    case 'grid_coordinator':
    case 'mediator':
      return p.scope.grids.includes(c.gridId) || MEDIATION_LEVELS.some((l) => holdsPost(posts, p.username, l, c));
    case 'participant':
      // An outside participant reaches a case only through a running invitation (above).
      return false;
  }
}

/**
 * Whether someone mediates the case at the level it stands at: town admins always; community staff for
 * their communities below the town; coordinators and mediators for their grids at the courtyard; anyone
 * of a writing role holding the level's post for the case's place.
 */
export function mediatesAt(p: TownPrincipal, c: Placed, posts: readonly MediatorPost[]): boolean {
  if (!MEDIATION_WRITE.includes(p.role)) return false;
  if (p.role === 'town_admin') return true;
  if (holdsPost(posts, p.username, c.level, c)) return true;
  if (p.role === 'community_staff') return c.level !== 'town' && p.scope.communities.includes(c.communityId);
  return c.level === 'courtyard' && p.scope.grids.includes(c.gridId);
}

/** Who the principal is to the case: a mediator of its level, an invited participant, or a refusal. */
function who(
  p: Principal,
  c: MediationCase,
  action: MediationAction,
  now: string,
  ctx: MediationContext,
): { ok: true; as: 'mediator' | 'participant'; p: TownPrincipal } | { ok: false; error: AppError } {
  if (!inTown(p, c)) return refuse('mediation.not_of_town');
  if (mediatesAt(p, c, ctx.posts ?? [])) return { ok: true, as: 'mediator', p };
  if (activeInvitation(p, c, now, ctx.invitations ?? [])) {
    return PARTICIPANT_ACTIONS.includes(action) ? { ok: true, as: 'participant', p } : refuse('mediation.participant_only');
  }
  return MEDIATION_WRITE.includes(p.role) ? refuse('mediation.out_of_scope') : refuse('mediation.read_only');
}

/** Why the case as it stands does not take the step (version aside), or undefined. */
function statusRefusal(c: MediationCase, action: MediationAction): MediationRefusalCode | undefined {
  if (action === 'escalate') return escalationRefusal(c);
  if (FINAL_MEDIATION_STATUSES.includes(c.status)) return 'mediation.closed';
  const from: Record<MediationAction, readonly MediationCase['status'][]> = {
    escalate: ['open'],
    session: ['open'],
    note: ['open', 'agreed'],
    outcome: ['open'],
    follow_up: ['agreed'],
    invite: ['open'],
  };
  return from[action].includes(c.status) ? undefined : 'mediation.wrong_status';
}

/** Whether the principal may take the step on the case now (who, and the case's status): what the page offers. */
export function mayActOnCase(
  p: Principal,
  c: MediationCase,
  action: MediationAction,
  now: string,
  invitations: readonly MediationInvitation[] = [],
  posts: readonly MediatorPost[] = [],
): boolean {
  return who(p, c, action, now, { invitations, posts }).ok && statusRefusal(c, action) === undefined;
}

// Flags and rates.

export const MEDIATION_FLAGS = ['high_risk', 'repeat_party'] as const;
export type MediationFlag = (typeof MEDIATION_FLAGS)[number];

/** A party is a repeat party when at least one other case (open or closed) names them. */
export const isRepeatParty = (otherCases: number) => otherCases >= 1;

/**
 * The early-warning flags of a case: a high risk, and parties other cases name. `othersByKey`: for each
 * party's ID hash, how many other cases of the town name it. Returns the flags and which parties repeat.
 */
export function caseFlags(
  c: Pick<MediationCase, 'risk' | 'partyKeys'>,
  othersByKey: Readonly<Record<string, number>>,
): { flags: MediationFlag[]; repeatParties: number[] } {
  const repeatParties = c.partyKeys.flatMap((k, i) => (k !== null && isRepeatParty(othersByKey[k] ?? 0) ? [i] : []));
  const flags: MediationFlag[] = [];
  if (c.risk.level === 'high') flags.push('high_risk');
  if (repeatParties.length) flags.push('repeat_party');
  return { flags, repeatParties };
}

/** The success rate of mediation (调解成功率): agreements over outcomes; null when there were none. */
export function successRate(agreements: number, failures: number): number | null {
  const outcomes = agreements + failures;
  return outcomes > 0 ? agreements / outcomes : null;
}

// Counters: flows in the month of `now` (China time).

/** One count of `kind` (signed): in total, at the level and of the type. */
const flow = (kind: string, level: MediationLevel, type: DisputeType, sign: 1 | -1 = 1): Record<string, number> => ({
  [`mediation_${kind}`]: sign,
  [`mediation_${kind}_${level}`]: sign,
  [`mediation_${kind}_type_${type}`]: sign,
});
const month = (now: string, deltas: Record<string, number>): CounterDelta[] =>
  Object.keys(deltas).length ? [{ scope: `MONTH#${periodContaining(now, 'month')}`, deltas }] : [];

/** Whether the case has been mediated already (a session held, or an outcome reached once). */
const wasMediated = (c: MediationCase) => c.sessions.length > 0 || c.reopens > 0 || c.agreement !== undefined || c.failure !== undefined;

// Plans.

/** What intake needs beyond the form: the grid's community, the town's dispute types, the posts, the parties' ID hashes. */
export type MediationIntakeContext = {
  /** The community of the intake's grid, read from the org chart; absent when the town has no such grid. */
  communityId: string | undefined;
  /** The dispute types the town uses (the default catalogue when absent). */
  types?: readonly DisputeType[];
  posts?: readonly MediatorPost[];
  /** Each party's ID hash as the store computed it, aligned with the parties (null when unknown). */
  partyKeys?: readonly (string | null)[];
};

/**
 * Takes a case in (受理) at the level the intake names (above the courtyard: diversion, with a reason).
 * Whoever of a writing role reaches the place takes it in: town admins anywhere, community staff in
 * their communities, coordinators and mediators in their grids, post holders of the level at its place.
 */
export function planMediationIntake(input: MediationIntake, p: Principal, now: string, ctx: MediationIntakeContext): MediationDecision {
  if (p.kind !== 'town') return refuse('mediation.not_of_town');
  if (!MEDIATION_WRITE.includes(p.role)) return refuse('mediation.read_only');
  if (ctx.communityId === undefined) return refuse('mediation.unknown_grid', { field: 'gridId' });
  const posts = ctx.posts ?? [];
  const place = { gridId: input.gridId, communityId: ctx.communityId };
  const reaches =
    p.role === 'town_admin' ||
    (p.role === 'community_staff' ? p.scope.communities.includes(place.communityId) : p.scope.grids.includes(place.gridId)) ||
    holdsPost(posts, p.username, input.level, place);
  if (!reaches) return refuse('mediation.out_of_scope', { field: 'gridId' });
  if (!(ctx.types ?? DISPUTE_TYPES).includes(input.type)) return refuse('mediation.unknown_type', { field: 'type' });
  const diversion = diversionRefusal(input.level, input.diversionReason);
  if (diversion) return refuse(diversion, { field: 'diversionReason' });
  const mediators = mediatorsOf(posts, input.level, place);
  if (!mediators.length) return refuse('mediation.no_mediator', { field: 'level' });
  const parties: PartyView[] = input.parties.map((x) =>
    'personId' in x
      ? { gridId: x.gridId, householdId: x.householdId, personId: x.personId }
      : { name: x.name, hasIdNumber: !!x.idNumber, hasPhone: !!x.phone },
  );
  const after: MediationCase = {
    caseId: input.caseId,
    townId: p.townId,
    version: 1,
    status: 'open',
    level: input.level,
    intakeLevel: input.level,
    ...(input.level !== 'courtyard' && input.diversionReason ? { diversionReason: input.diversionReason } : {}),
    type: input.type,
    gridId: input.gridId,
    communityId: ctx.communityId,
    ...(input.courtyardId ? { courtyardId: input.courtyardId } : {}),
    parties,
    partyKeys: input.parties.map((_, i) => ctx.partyKeys?.[i] ?? null),
    summary: input.summary,
    risk: input.risk,
    foundBy: input.foundBy,
    mediators,
    sessions: [],
    followUps: [],
    joint: false,
    reopens: 0,
    takenBy: p.username,
    takenAt: now,
    updatedAt: now,
  };
  const details = { type: input.type, level: input.level, risk: input.risk.level, foundBy: input.foundBy.how };
  return {
    ok: true,
    after,
    events: [{ kind: 'taken_in', at: now, actor: p.username, level: input.level, status: 'open', details }],
    counters: month(now, {
      ...flow('received', input.level, input.type),
      [`mediation_found_by_${input.foundBy.how}`]: 1,
      ...(input.level !== 'courtyard' ? { mediation_diverted: 1 } : {}),
      ...(input.risk.level === 'high' ? { mediation_high_risk: 1 } : {}),
    }),
    audit: { action: 'mediation.take_in', details: { caseId: input.caseId, gridId: input.gridId, ...details } },
  };
}

/** The common head of every step: who, the version, the case's status. */
function start(
  c: MediationCase,
  version: number,
  action: MediationAction,
  p: Principal,
  now: string,
  ctx: MediationContext,
): { ok: false; error: AppError } | { ok: true; by: string; as: 'mediator' | 'participant' } {
  const w = who(p, c, action, now, ctx);
  if (!w.ok) return w;
  if (version !== c.version) return refuse('mediation.version_conflict', { field: 'version', current: c });
  const s = statusRefusal(c, action);
  if (s) return refuse(s);
  return { ok: true, by: w.p.username, as: w.as };
}

function plan(
  c: MediationCase,
  after: MediationCase,
  by: string,
  now: string,
  action: string,
  events: [string, Record<string, unknown>][],
  deltas: Record<string, number>,
): MediationPlan {
  return {
    ok: true,
    before: c,
    after,
    events: events.map(([kind, details]) => ({ kind, at: now, actor: by, level: c.level, status: after.status, details })),
    counters: month(now, deltas),
    audit: { action: `mediation.${action}`, details: { caseId: c.caseId, level: c.level, to: after.level } },
  };
}

const bump = (c: MediationCase, now: string): MediationCase => ({ ...c, version: c.version + 1, updatedAt: now });

/** Up one level (院落 → 社区 → 镇): an open case below the town, to a level someone mediates at its place. */
export function planEscalate(
  c: MediationCase,
  input: EscalateInput,
  p: Principal,
  now: string,
  ctx: MediationContext = {},
): MediationDecision {
  const s = start(c, input.version, 'escalate', p, now, ctx);
  if (!s.ok) return s;
  const to = nextLevel(c.level) as MediationLevel;
  const mediators = mediatorsOf(ctx.posts ?? [], to, c);
  if (!mediators.length) return refuse('mediation.no_mediator');
  const after: MediationCase = { ...bump(c, now), level: to, mediators };
  return plan(c, after, s.by, now, 'escalate', [['escalated', { from: c.level, to, reason: input.reason }]], {
    mediation_escalated: 1,
    [`mediation_escalated_${c.level}`]: 1,
  });
}

/** A session held: the mediators or an invited participant record it. The first mediation of a case counts it mediated. */
export function planSession(
  c: MediationCase,
  input: SessionInput,
  p: Principal,
  now: string,
  ctx: MediationContext = {},
): MediationDecision {
  const s = start(c, input.version, 'session', p, now, ctx);
  if (!s.ok) return s;
  const { version: _v, ...held } = input;
  const after: MediationCase = { ...bump(c, now), sessions: [...c.sessions, { ...held, level: c.level, by: s.by, at: now }] };
  return plan(c, after, s.by, now, 'session', [['session', { on: input.on, place: input.place, as: s.as }]], {
    mediation_sessions: 1,
    ...(wasMediated(c) ? {} : flow('mediated', c.level, c.type)),
  });
}

/** A note or opinion on the timeline (an invited participant's word included); the case itself does not change. */
export function planNote(c: MediationCase, input: NoteInput, p: Principal, now: string, ctx: MediationContext = {}): MediationDecision {
  const s = start(c, input.version, 'note', p, now, ctx);
  if (!s.ok) return s;
  return plan(c, bump(c, now), s.by, now, 'note', [['note', { text: input.text, as: s.as }]], {});
}

/**
 * The outcome at the level the case stands at: an agreement (its follow-ups scheduled from the day it was
 * signed, by the town's schedule) or a failure, which refers the parties on and ends the case.
 */
export function planOutcome(
  c: MediationCase,
  input: OutcomeInput,
  p: Principal,
  now: string,
  ctx: MediationContext & { followUpDays?: readonly number[] } = {},
): MediationDecision {
  const s = start(c, input.version, 'outcome', p, now, ctx);
  if (!s.ok) return s;
  const mediated = wasMediated(c) ? {} : flow('mediated', c.level, c.type);
  if ('agreement' in input) {
    const a = input.agreement;
    const followUpDue = followUpSchedule(a.signedOn, ctx.followUpDays);
    const after: MediationCase = {
      ...bump(c, now),
      status: 'agreed',
      agreement: { ...a, level: c.level, followUpDue, by: s.by, at: now },
      followUps: [],
    };
    return plan(c, after, s.by, now, 'agree', [['agreed', { signedOn: a.signedOn, terms: a.terms.length, followUpDue }]], {
      ...mediated,
      ...flow('agreements', c.level, c.type),
    });
  }
  const f = input.failure;
  const after: MediationCase = { ...bump(c, now), status: 'failed', failure: { ...f, level: c.level, by: s.by, at: now } };
  return plan(c, after, s.by, now, 'fail', [['failed', { referral: f.referral, reason: f.reason }]], {
    ...mediated,
    ...flow('failures', c.level, c.type),
    [`mediation_referred_${f.referral}`]: 1,
  });
}

/**
 * A follow-up on the agreement, once the next one is due. Holding at every scheduled follow-up (by
 * default both, at 30 and 90 days) closes the case for good; a broken agreement reopens it at the level
 * it was agreed, and the agreement no longer counts.
 */
export function planFollowUp(
  c: MediationCase,
  input: FollowUpInput,
  p: Principal,
  now: string,
  ctx: MediationContext = {},
): MediationDecision {
  const s = start(c, input.version, 'follow_up', p, now, ctx);
  if (!s.ok) return s;
  const a = c.agreement;
  if (!a) return refuse('mediation.wrong_status');
  const due = a.followUpDue[c.followUps.length];
  if (due === undefined) return refuse('mediation.wrong_status');
  if (shanghaiDay(now) < due) return refuse('mediation.follow_up_not_due');
  const result = { holds: input.holds, note: input.note, due, by: s.by, at: now };
  if (input.holds) {
    const followUps = [...c.followUps, result];
    const closes = followUps.length >= a.followUpDue.length;
    const after: MediationCase = { ...bump(c, now), followUps, ...(closes ? { status: 'closed' as const } : {}) };
    return plan(
      c,
      after,
      s.by,
      now,
      'follow_up',
      [['follow_up', { holds: true, due, note: input.note }], ...(closes ? [['closed', {}] as [string, Record<string, unknown>]] : [])],
      { mediation_follow_up_held: 1, ...(closes ? flow('closed', a.level, c.type) : {}) },
    );
  }
  const { agreement: _a, ...rest } = bump(c, now);
  const after: MediationCase = { ...rest, status: 'open', level: a.level, followUps: [], reopens: c.reopens + 1 };
  return plan(
    c,
    after,
    s.by,
    now,
    'follow_up',
    [
      ['follow_up', { holds: false, due, note: input.note }],
      ['reopened', { level: a.level, signedOn: a.signedOn }],
    ],
    { mediation_follow_up_broken: 1, ...flow('agreements', a.level, c.type, -1), ...flow('reopened', a.level, c.type) },
  );
}

/** Invites an outside participant (joint mediation, 联合调解); the first invitation makes the case joint. */
export function planInvite(
  c: MediationCase,
  input: InvitationInput,
  p: Principal,
  now: string,
  ctx: MediationContext = {},
): MediationDecision {
  const s = start(c, input.version, 'invite', p, now, ctx);
  if (!s.ok) return s;
  if (input.until < shanghaiDay(now)) return refuse('mediation.invitation_expired', { field: 'until' });
  const invitation: MediationInvitation = {
    caseId: c.caseId,
    role: input.role,
    name: input.name,
    until: input.until,
    ...(input.username ? { username: input.username } : {}),
    invitedBy: s.by,
    invitedAt: now,
  };
  const after: MediationCase = { ...bump(c, now), joint: true };
  return {
    ...plan(c, after, s.by, now, 'invite', [['invited', { role: input.role, name: input.name, until: input.until }]], {
      mediation_invitations: 1,
      ...(c.joint ? {} : flow('joint', c.level, c.type)),
    }),
    invitation,
  };
}

/** The case as the API answers it: the parties' ID hashes stay in the store. */
export function caseView(c: MediationCase, flags?: readonly MediationFlag[]): MediationCaseView {
  const { partyKeys: _k, ...view } = c;
  return flags ? { ...view, flags: [...flags] } : view;
}
