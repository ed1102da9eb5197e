import { charCount } from '../fields';
import { count, day, isoTime, line, paragraph, version } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema, townIdSchema, usernameSchema } from '../ids';
import type { TownRole } from '../rules';

/*
 * Disputes and mediation (矛盾纠纷调解): what intake takes, what each step of a case takes, and the case
 * as the API answers it. The vocabularies and role lists live here (no rules imported), so a route table
 * can name them without loading ./rules; the ladder is in ./ladder, the decisions in ./rules.
 */

/** The ladder, lowest first: courtyard (院落), community (社区), the town's mediation centre (镇调解中心). */
export const MEDIATION_LEVELS = ['courtyard', 'community', 'town'] as const;
export type MediationLevel = (typeof MEDIATION_LEVELS)[number];

/**
 * Where a case stands. `open`: being mediated at its level; `agreed`: an agreement (调解协议) was signed and
 * its follow-ups are due; `closed`: the agreement held at every follow-up; `failed`: mediation failed and
 * the parties were referred on. `closed` and `failed` are final.
 */
export const MEDIATION_STATUSES = ['open', 'agreed', 'closed', 'failed'] as const;
export type MediationStatus = (typeof MEDIATION_STATUSES)[number];
export const FINAL_MEDIATION_STATUSES: readonly MediationStatus[] = ['closed', 'failed'];

/** The default catalogue of dispute types (a town may use fewer). */
export const DISPUTE_TYPES = ['neighbour', 'family', 'property', 'labour', 'land', 'marriage', 'debt', 'other'] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** How the dispute came to light: a household visit, a matter, someone at the counter, a referral. */
export const FOUND_BY = ['visit', 'matter', 'walk_in', 'referral'] as const;
export type FoundBy = (typeof FOUND_BY)[number];

/** Where a failed mediation sends the parties: a lawsuit, arbitration, a petition (信访). */
export const REFERRALS = ['litigation', 'arbitration', 'petition'] as const;
export type Referral = (typeof REFERRALS)[number];

/** Outside participants of joint mediation (联合调解): the court, legal workers, the community police officer. */
export const PARTICIPANT_ROLES = ['judge', 'legal_worker', 'police'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** The town's staff who read mediation cases within their scope, and the month's figures. */
export const MEDIATION_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor'];
/** Who mediates and takes cases in (within their scope and posts): auditors only read. */
export const MEDIATION_WRITE: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator'];
/** The case routes also admit invited outside participants (`participant`): the rules let them reach their invited cases only. */
export const MEDIATION_CASE_READ: readonly TownRole[] = [...MEDIATION_READ, 'participant'];
/** Acting on a case: the mediators, and participants for sessions and notes. */
export const MEDIATION_CASE_ACT: readonly TownRole[] = [...MEDIATION_WRITE, 'participant'];

/** The steps taken on a case after intake. */
export const MEDIATION_ACTIONS = ['escalate', 'session', 'note', 'outcome', 'follow_up', 'invite'] as const;
export type MediationAction = (typeof MEDIATION_ACTIONS)[number];

/** A reason (diversion, escalation, failure, risk): 2–500 characters. */
const reason = paragraph(500).check(z.refine((s) => charCount(s) >= 2, { message: 'At least 2 characters.' }));

export const mediationLevelSchema = z.enum(MEDIATION_LEVELS);
export const mediationStatusSchema = z.enum(MEDIATION_STATUSES);
export const disputeTypeSchema = z.enum(DISPUTE_TYPES);
export const riskLevelSchema = z.enum(RISK_LEVELS);
export const participantRoleSchema = z.enum(PARTICIPANT_ROLES);

/** The risk of the dispute turning worse; a high risk says why. */
export const riskSchema = z
  .strictObject({ level: riskLevelSchema, reason: z.optional(reason) })
  .check(z.refine((r) => r.level !== 'high' || r.reason !== undefined, { message: 'Say why the risk is high.', path: ['reason'] }));
export type Risk = z.infer<typeof riskSchema>;

/** How it was found, with the visit or matter it came from when there is one. */
export const foundBySchema = z.strictObject({
  how: z.enum(FOUND_BY),
  matterId: z.optional(entityIdSchema),
  visitId: z.optional(entityIdSchema),
});
export type FoundByInput = z.infer<typeof foundBySchema>;

/** A party of the book, named by where they live in it. */
export const bookPartySchema = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema, personId: entityIdSchema });
/** A party from outside the book: ID number and phone in clear over TLS only (the store seals them and hashes the ID). */
export const outsidePartySchema = z.strictObject({
  name: line(40),
  idNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  phone: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
});
export const partySchema = z.union([bookPartySchema, outsidePartySchema]);
export type PartyInput = z.infer<typeof partySchema>;

/**
 * Intake (受理): the id (made by the client, so a repeated request is the same case), 2–10 parties, the
 * type, the place, what it is about, the risk, how it was found, and the level it starts at. Starting
 * above the courtyard is diversion (分流) and says why.
 */
export const mediationIntakeSchema = z
  .strictObject({
    caseId: entityIdSchema,
    parties: z.array(partySchema).check(z.minLength(2), z.maxLength(10)),
    type: disputeTypeSchema,
    gridId: entityIdSchema,
    courtyardId: z.optional(entityIdSchema),
    summary: paragraph(2000),
    risk: riskSchema,
    foundBy: foundBySchema,
    level: mediationLevelSchema,
    diversionReason: z.optional(reason),
  })
  .check(
    z.refine((c) => c.level === 'courtyard' || c.diversionReason !== undefined, {
      message: 'Say why the case skips courtyard mediation.',
      path: ['diversionReason'],
    }),
  );
export type MediationIntake = z.infer<typeof mediationIntakeSchema>;

/** Up one level, at the version read. */
export const escalateSchema = z.strictObject({ version, reason });
export type EscalateInput = z.infer<typeof escalateSchema>;

/** A mediation session (调解会): when, where, who came, what was said. */
export const sessionSchema = z.strictObject({
  version,
  on: day,
  place: line(80),
  attendees: z.array(line(40)).check(z.minLength(1), z.maxLength(30)),
  notes: paragraph(4000),
});
export type SessionInput = z.infer<typeof sessionSchema>;

/** The agreement (调解协议): the facts, 1–20 terms, the day it was signed. */
export const agreementSchema = z.strictObject({
  facts: paragraph(2000),
  terms: z.array(paragraph(500)).check(z.minLength(1), z.maxLength(20)),
  signedOn: day,
});
export type AgreementInput = z.infer<typeof agreementSchema>;

/** Failure: where the parties are referred, and why. */
export const failureSchema = z.strictObject({ referral: z.enum(REFERRALS), reason });
export type FailureInput = z.infer<typeof failureSchema>;

/** The outcome: an agreement or a failure, at the version read. */
export const outcomeSchema = z.union([
  z.strictObject({ version, agreement: agreementSchema }),
  z.strictObject({ version, failure: failureSchema }),
]);
export type OutcomeInput = z.infer<typeof outcomeSchema>;

/** A follow-up (回访) on whether the agreement holds. */
export const followUpSchema = z.strictObject({ version, holds: z.boolean(), note: paragraph(1000) });
export type FollowUpInput = z.infer<typeof followUpSchema>;

/** A note or opinion on a case (an invited participant's word, a mediator's remark). */
export const noteSchema = z.strictObject({ version, text: paragraph(2000) });
export type NoteInput = z.infer<typeof noteSchema>;

/** A town's follow-up schedule: the days after signing each follow-up falls due (1–5 of them, 1–3,650 days). */
export const followUpDaysSchema = z.array(z.int().check(z.minimum(1), z.maximum(3650))).check(z.minLength(1), z.maxLength(5));

/**
 * Inviting an outside participant to a case (joint mediation), until a day. `username`: the account they
 * sign in with, when they have one; an invitation without one counts the case as joint but grants no access.
 * At the version of the case read.
 */
export const invitationSchema = z.strictObject({
  version,
  role: participantRoleSchema,
  name: line(40),
  until: day,
  username: z.optional(usernameSchema),
});
export type InvitationInput = z.infer<typeof invitationSchema>;

/** A party as the API answers it: a reference into the book, or a name (the sealed values never leave the store). */
export const partyViewSchema = z.union([
  z.object({ gridId: entityIdSchema, householdId: entityIdSchema, personId: entityIdSchema }),
  z.object({ name: z.string(), hasIdNumber: z.boolean(), hasPhone: z.boolean() }),
]);
export type PartyView = z.infer<typeof partyViewSchema>;

export const mediationSessionSchema = z.object({
  on: day,
  place: z.string(),
  attendees: z.array(z.string()),
  notes: z.string(),
  level: mediationLevelSchema,
  by: z.string(),
  at: isoTime,
});
export type MediationSession = z.infer<typeof mediationSessionSchema>;

export const followUpResultSchema = z.object({ holds: z.boolean(), note: z.string(), due: day, by: z.string(), at: isoTime });
export type FollowUpResult = z.infer<typeof followUpResultSchema>;

/** A mediation case as the API answers it. */
export const mediationCaseSchema = z.object({
  caseId: entityIdSchema,
  townId: townIdSchema,
  version,
  status: mediationStatusSchema,
  /** The level it stands at; an agreed, closed or failed case stays at the level that reached the outcome. */
  level: mediationLevelSchema,
  /** The level it was taken in at (above the courtyard: diverted). */
  intakeLevel: mediationLevelSchema,
  diversionReason: z.optional(z.string()),
  type: disputeTypeSchema,
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  courtyardId: z.optional(entityIdSchema),
  parties: z.array(partyViewSchema),
  summary: z.string(),
  risk: z.object({ level: riskLevelSchema, reason: z.optional(z.string()) }),
  foundBy: z.object({ how: z.enum(FOUND_BY), matterId: z.optional(entityIdSchema), visitId: z.optional(entityIdSchema) }),
  /** Who mediates at its level (the post holders when it got there). */
  mediators: z.array(z.string()),
  sessions: z.array(mediationSessionSchema),
  agreement: z.optional(
    z.object({
      facts: z.string(),
      terms: z.array(z.string()),
      signedOn: day,
      level: mediationLevelSchema,
      /** The days its follow-ups fall due. */
      followUpDue: z.array(day),
      by: z.string(),
      at: isoTime,
    }),
  ),
  followUps: z.array(followUpResultSchema),
  failure: z.optional(
    z.object({ referral: z.enum(REFERRALS), reason: z.string(), level: mediationLevelSchema, by: z.string(), at: isoTime }),
  ),
  /** Whether an outside participant was ever invited (joint mediation, 联合调解). */
  joint: z.boolean(),
  /** Times a broken agreement reopened it. */
  reopens: count,
  flags: z.optional(z.array(z.enum(['high_risk', 'repeat_party']))),
  takenBy: z.string(),
  takenAt: isoTime,
  updatedAt: isoTime,
});
export type MediationCaseView = z.infer<typeof mediationCaseSchema>;

/** A page of cases; `nextCursor` is null on the last page. */
export const mediationCasePageSchema = z.object({ items: z.array(mediationCaseSchema), nextCursor: z.nullable(z.string()) });

/** One entry of a case's timeline. */
export const mediationEventSchema = z.object({
  kind: z.string(),
  at: isoTime,
  actor: z.string(),
  level: mediationLevelSchema,
  status: mediationStatusSchema,
  details: z.record(z.string(), z.unknown()),
});
export type MediationEvent = z.infer<typeof mediationEventSchema>;

// The routes' contract (issue 15): one action route, the list's query, a case's page, the month's figures, settings.

/** One step on a case at the version read; `agree` and `fail` are the two outcomes. */
export const mediationActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('escalate'), ...escalateSchema.shape }),
  z.strictObject({ action: z.literal('session'), ...sessionSchema.shape }),
  z.strictObject({ action: z.literal('note'), ...noteSchema.shape }),
  z.strictObject({ action: z.literal('agree'), version, agreement: agreementSchema }),
  z.strictObject({ action: z.literal('fail'), version, failure: failureSchema }),
  z.strictObject({ action: z.literal('follow_up'), ...followUpSchema.shape }),
  z.strictObject({ action: z.literal('invite'), ...invitationSchema.shape }),
]);
export type MediationActionInput = z.infer<typeof mediationActionSchema>;

/**
 * The case list. `view`: `open` (being mediated), `agreed` (follow-ups running), `closed`, `failed`, `flagged`
 * (open or agreed cases flagged for the town leader: high risk or a repeat party), `follow_ups_due` (agreed
 * cases whose next follow-up is due by today), `invited` (a participant's invited cases; for a participant
 * every view answers this one). `level`: one rung only. Open lists sort by risk, highest first, then newest.
 */
export const MEDIATION_VIEWS = ['open', 'agreed', 'closed', 'failed', 'flagged', 'follow_ups_due', 'invited'] as const;
export type MediationView = (typeof MEDIATION_VIEWS)[number];
export const mediationListQuerySchema = z.strictObject({
  view: z._default(z.enum(MEDIATION_VIEWS), 'open'),
  level: z.optional(mediationLevelSchema),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
export type MediationListQuery = z.infer<typeof mediationListQuerySchema>;

/** An invitation as the case page shows it: `active` while the participant may still reach the case. */
export const mediationInvitationViewSchema = z.object({
  role: participantRoleSchema,
  name: z.string(),
  until: day,
  username: z.optional(z.string()),
  invitedBy: z.string(),
  invitedAt: isoTime,
  active: z.boolean(),
});
export type MediationInvitationView = z.infer<typeof mediationInvitationViewSchema>;

/**
 * A case's page: the case, its timeline (oldest first), its invitations, each party's name for the
 * agreement (aligned with `case.parties`; a book party's name read from the book at intake), what the
 * caller may do now, and whether the caller is an invited participant. `initialCredentials`: only in the
 * answer to an invitation that made the participant's account, when the directory hands out a one-time
 * password (the local one); never stored.
 */
export const mediationDetailSchema = z.object({
  case: mediationCaseSchema,
  events: z.array(mediationEventSchema),
  invitations: z.array(mediationInvitationViewSchema),
  partyNames: z.array(z.string()),
  actions: z.array(z.enum(MEDIATION_ACTIONS)),
  asParticipant: z.boolean(),
  initialCredentials: z.optional(z.object({ username: z.string(), temporaryPassword: z.string() })),
});
export type MediationDetail = z.infer<typeof mediationDetailSchema>;

/** One row of the month's figures (a level, a type, or the total). */
export const mediationFiguresSchema = z.object({
  received: z.int(),
  mediated: z.int(),
  agreements: z.int(),
  failures: z.int(),
  joint: z.int(),
});
export type MediationFigures = z.infer<typeof mediationFiguresSchema>;

/**
 * The month's figures from the town's counters (one read): totals, by level and by type, the success
 * rate (agreements over outcomes) and the share of joint mediations (joint over received), null when
 * there is nothing to divide by.
 */
export const mediationSummarySchema = z.object({
  month: z.string(),
  total: mediationFiguresSchema,
  byLevel: z.array(z.object({ level: mediationLevelSchema, ...mediationFiguresSchema.shape })),
  byType: z.array(z.object({ type: disputeTypeSchema, ...mediationFiguresSchema.shape })),
  successRate: z.nullable(z.number()),
  jointShare: z.nullable(z.number()),
});
export type MediationSummary = z.infer<typeof mediationSummarySchema>;

/** The town's mediation settings: the follow-up days after signing, and the dispute types in use. */
export const mediationSettingsSchema = z.object({
  version: z.int(),
  followUpDays: z.array(z.int()),
  types: z.array(disputeTypeSchema),
  updatedAt: z.optional(isoTime),
});
export type MediationSettings = z.infer<typeof mediationSettingsSchema>;
/** Saving them at the version read (absent: the first save over the defaults). */
export const mediationSettingsBodySchema = z.strictObject({
  version: z.optional(version),
  followUpDays: followUpDaysSchema,
  types: z.array(disputeTypeSchema).check(z.minLength(1), z.maxLength(DISPUTE_TYPES.length)),
});
export type MediationSettingsBody = z.infer<typeof mediationSettingsBodySchema>;
