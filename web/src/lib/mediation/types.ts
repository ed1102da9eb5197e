/*
 * Mediation's shapes as the web app reads and sends them: the server's own types (issue 15), so a field
 * the server adds or renames breaks the web build first. Only types come from the domain package; the
 * vocabularies and role lists the pages need at run time are repeated here and checked against the
 * domain's by the compiler (each list names every value) and by types.test.ts (the role lists), so the
 * pages do not bundle the server's schemas.
 */
import type {
  DisputeType,
  FoundBy,
  MediationAction,
  MediationLevel,
  MediationStatus,
  MediationView,
  ParticipantRole,
  Referral,
  RiskLevel,
} from '@gridline/domain';
import type { Role, TownRole } from '@gridline/domain/rules';

export type {
  DisputeType,
  FoundBy,
  MediationAction,
  MediationActionInput,
  MediationCaseView,
  MediationDetail,
  MediationEvent,
  MediationFigures,
  MediationIntake,
  MediationInvitationView,
  MediationLevel,
  MediationListQuery,
  MediationSession,
  MediationSettings,
  MediationSettingsBody,
  MediationStatus,
  MediationSummary,
  MediationView,
  ParticipantRole,
  PartyInput,
  PartyView,
  Referral,
  RiskLevel,
} from '@gridline/domain';

/** The ladder, lowest first: 院落, 社区, 镇调解中心. */
export const LEVELS = ['courtyard', 'community', 'town'] as const satisfies readonly MediationLevel[];
export const STATUSES = ['open', 'agreed', 'closed', 'failed'] as const satisfies readonly MediationStatus[];
export const DISPUTE_TYPES = [
  'neighbour',
  'family',
  'property',
  'labour',
  'land',
  'marriage',
  'debt',
  'other',
] as const satisfies readonly DisputeType[];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const satisfies readonly RiskLevel[];
export const FOUND_BY = ['visit', 'matter', 'walk_in', 'referral'] as const satisfies readonly FoundBy[];
export const REFERRALS = ['litigation', 'arbitration', 'petition'] as const satisfies readonly Referral[];
export const PARTICIPANT_ROLES = ['judge', 'legal_worker', 'police'] as const satisfies readonly ParticipantRole[];
export const ACTIONS = ['escalate', 'session', 'note', 'outcome', 'follow_up', 'invite'] as const satisfies readonly MediationAction[];
export const VIEWS = [
  'open',
  'agreed',
  'closed',
  'failed',
  'flagged',
  'follow_ups_due',
  'invited',
] as const satisfies readonly MediationView[];
/** The case flags the list and the case page show as chips. */
export const FLAGS = ['high_risk', 'repeat_party'] as const;
export type MediationFlag = (typeof FLAGS)[number];

/** Each list names every value the server knows, not only some of them (the compiler checks it). */
type Every<List, All> = [All] extends [List] ? true : false;
const everyValue: [
  Every<(typeof LEVELS)[number], MediationLevel>,
  Every<(typeof STATUSES)[number], MediationStatus>,
  Every<(typeof DISPUTE_TYPES)[number], DisputeType>,
  Every<(typeof RISK_LEVELS)[number], RiskLevel>,
  Every<(typeof FOUND_BY)[number], FoundBy>,
  Every<(typeof REFERRALS)[number], Referral>,
  Every<(typeof PARTICIPANT_ROLES)[number], ParticipantRole>,
  Every<(typeof ACTIONS)[number], MediationAction>,
  Every<(typeof VIEWS)[number], MediationView>,
] = [true, true, true, true, true, true, true, true, true];
void everyValue;

/** Who reads mediation cases and the month's figures (the contract's MEDIATION_READ). */
export const MEDIATION_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor'];
/** Who takes cases in and mediates (MEDIATION_WRITE); auditors only read. */
export const MEDIATION_WRITE: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator'];
/** Who reaches the case routes: the readers and invited outside participants (MEDIATION_CASE_READ). */
export const MEDIATION_CASE_READ: readonly TownRole[] = [...MEDIATION_READ, 'participant'];

const among = (list: readonly string[]) => (role: Role) => list.includes(role);
/** Whether the role opens the mediation pages (the list and a case). */
export const canOpenMediation = among(MEDIATION_CASE_READ);
/** Whether the role reads the month's figures (staff, not outside participants). */
export const canReadMediationFigures = among(MEDIATION_READ);
/** Whether the role takes disputes in (the intake page, the matter page's link). */
export const canTakeInDisputes = among(MEDIATION_WRITE);
/** Whether the role changes the town's mediation settings. */
export const canSetUpMediation = (role: Role): boolean => role === 'town_admin';
/** Whether the role is an invited outside participant, who reaches only their invited cases. */
export const isParticipant = (role: Role): boolean => role === 'participant';

/**
 * A follow-up falling due, as the notifications route may send it (kind `mediation_follow_up`). The
 * domain's notification union does not name it yet, so its fields are read with care: the case when
 * given, the day it fell due when given.
 */
export type MediationFollowUpNotice = { notificationId: string; at: string; kind: 'mediation_follow_up'; caseId?: string; due?: string };
