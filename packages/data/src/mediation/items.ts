import {
  DEFAULT_FOLLOW_UP_DAYS,
  DISPUTE_TYPES,
  type DisputeType,
  type MediationCase,
  type MediationCaseView,
  type MediationEvent,
  type MediationFlag,
  type MediationInvitation,
  type MediationInvitationView,
  type MediationSettings,
  type RiskLevel,
  shanghaiDay,
} from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/** The sealed contacts of an outside party (the town's field encryption), never answered. */
export type PartySecret = { idNumberSealed?: string; phoneSealed?: string };

/**
 * A case as stored: the rules' case (with each party's ID hash), the parties' names for the agreement,
 * the outside parties' sealed contacts, the early-warning flags, and a keyed digest of the intake that
 * made it (so the same request again is told from another one with the same id).
 */
export type StoredCase = MediationCase & {
  partyNames: string[];
  partySecrets: Array<PartySecret | null>;
  flags: MediationFlag[];
  intakeDigest: string;
};

const RISK_RANK: Record<RiskLevel, string> = { high: '0', medium: '1', low: '2' };
const LATEST = 9_999_999_999_999;
/** An instant as a sort key that puts the newest first. */
const newestFirst = (iso: string) => String(LATEST - Date.parse(iso)).padStart(13, '0');

/** The next follow-up day of an agreed case, if one is still to be held. */
export function nextFollowUp(c: Pick<MediationCase, 'status' | 'agreement' | 'followUps'>): string | undefined {
  return c.status === 'agreed' ? c.agreement?.followUpDue[c.followUps.length] : undefined;
}

/**
 * Where a case sorts in its grid's and its town's list: by status first, then open cases by risk (high
 * first) and newest, agreed ones by their next follow-up (soonest first: the follow-ups due are the head
 * of the range), closed and failed ones newest first.
 */
export function listKey(c: StoredCase): string {
  switch (c.status) {
    case 'open':
      return `open#${RISK_RANK[c.risk.level]}#${newestFirst(c.takenAt)}#${c.caseId}`;
    case 'agreed':
      return `agreed#${nextFollowUp(c) ?? '9999-12-31'}#${c.caseId}`;
    default:
      return `${c.status}#${newestFirst(c.updatedAt)}#${c.caseId}`;
  }
}

/** The sort-key range of a status's part of a list (`agreed` through a day: the follow-ups due by then). */
export function statusRange(status: MediationCase['status'], through?: string): [string, string] {
  if (status === 'agreed' && through) return ['agreed#', `agreed#${through}#\uffff`];
  return [`${status}#`, `${status}#\uffff`];
}

/** The town's mediation settings until an admin saves some (version 0). */
export const DEFAULT_MEDIATION_SETTINGS: MediationSettings = {
  version: 0,
  followUpDays: [...DEFAULT_FOLLOW_UP_DAYS],
  types: [...DISPUTE_TYPES],
};

/**
 * The items of one town's mediation (keys from `keys.ts`, the block marked "Mediation"): the case with
 * its two list entries on its own indexes, its timeline entries, its invitations (those naming an account
 * indexed under that account), each party's repeat-party entry, the follow-up job's mark, the settings.
 */
export function mediationItems(townId: string) {
  const k = townKeys(townId);
  return {
    keys: k,
    /** The case; its dispute type is kept as `disputeType`, since `type` names the kind of item. */
    case: (c: StoredCase): Item & Key => {
      const sort = listKey(c);
      const { type: disputeType, ...rest } = c;
      return {
        ...k.mediationCase(c.caseId),
        type: 'MediationCase',
        ...rest,
        disputeType,
        gsi1pk: k.mediationGridPk(c.gridId),
        gsi1sk: sort,
        gsi2pk: k.mediationTownPk,
        gsi2sk: sort,
      };
    },
    event: (caseId: string, e: MediationEvent, version: number, n: number): Item & Key => ({
      ...k.mediationEvent(caseId, e.at, version, n),
      type: 'MediationEvent',
      caseId,
      ...e,
    }),
    invitation: (i: MediationInvitation, n: number): Item & Key => ({
      ...k.mediationInvitation(i.caseId, i.invitedAt, n),
      type: 'MediationInvitation',
      ...i,
      ...(i.username ? { gsi1pk: k.mediationInvitedPk(i.username), gsi1sk: `${i.until}#${i.caseId}#${i.invitedAt}` } : {}),
    }),
    party: (idHash: string, c: Pick<StoredCase, 'caseId' | 'gridId' | 'takenAt'>): Item & Key => ({
      ...k.mediationParty(idHash, c.caseId),
      type: 'MediationParty',
      caseId: c.caseId,
      gridId: c.gridId,
      takenAt: c.takenAt,
    }),
    settings: (s: MediationSettings): Item & Key => ({ ...k.mediationSettings(), type: 'MediationSettings', ...s }),
  };
}
export type MediationItems = ReturnType<typeof mediationItems>;

/** The case as stored, from its item. */
export function storedCase(item: Item): StoredCase {
  const { disputeType, ...rest } = publicFields<Omit<StoredCase, 'type'> & { disputeType: DisputeType }>(item);
  return { ...rest, type: disputeType };
}

/** The case as the API answers it: exactly the fields of the contract, so no hash or ciphertext leaves the store. */
export function caseViewOf(c: StoredCase): MediationCaseView {
  return {
    caseId: c.caseId,
    townId: c.townId,
    version: c.version,
    status: c.status,
    level: c.level,
    intakeLevel: c.intakeLevel,
    ...(c.diversionReason !== undefined ? { diversionReason: c.diversionReason } : {}),
    type: c.type,
    gridId: c.gridId,
    communityId: c.communityId,
    ...(c.courtyardId !== undefined ? { courtyardId: c.courtyardId } : {}),
    parties: c.parties.map((p) =>
      'personId' in p
        ? { gridId: p.gridId, householdId: p.householdId, personId: p.personId }
        : { name: p.name, hasIdNumber: p.hasIdNumber, hasPhone: p.hasPhone },
    ),
    summary: c.summary,
    risk: { level: c.risk.level, ...(c.risk.reason !== undefined ? { reason: c.risk.reason } : {}) },
    foundBy: {
      how: c.foundBy.how,
      ...(c.foundBy.matterId !== undefined ? { matterId: c.foundBy.matterId } : {}),
      ...(c.foundBy.visitId !== undefined ? { visitId: c.foundBy.visitId } : {}),
    },
    mediators: [...c.mediators],
    sessions: c.sessions,
    ...(c.agreement ? { agreement: c.agreement } : {}),
    followUps: c.followUps,
    ...(c.failure ? { failure: c.failure } : {}),
    joint: c.joint,
    reopens: c.reopens,
    ...(c.flags?.length ? { flags: [...c.flags] } : {}),
    takenBy: c.takenBy,
    takenAt: c.takenAt,
    updatedAt: c.updatedAt,
  };
}

export const eventOf = (item: Item): MediationEvent => {
  const { kind, at, actor, level, status, details } = publicFields<MediationEvent>(item);
  return { kind, at, actor, level, status, details: details ?? {} };
};

export const invitationOf = (item: Item): MediationInvitation => {
  const { caseId, role, name, until, username, invitedBy, invitedAt } = publicFields<MediationInvitation>(item);
  return { caseId, role, name, until, ...(username ? { username } : {}), invitedBy, invitedAt };
};

/** An invitation as the case page shows it: `active` while it still grants its account the case. */
export const invitationView = (i: MediationInvitation, now: string): MediationInvitationView => ({
  role: i.role,
  name: i.name,
  until: i.until,
  ...(i.username ? { username: i.username } : {}),
  invitedBy: i.invitedBy,
  invitedAt: i.invitedAt,
  active: i.username !== undefined && shanghaiDay(now) <= i.until,
});

export const settingsOf = (item: Item | undefined): MediationSettings => {
  if (!item) return DEFAULT_MEDIATION_SETTINGS;
  const { version, followUpDays, types, updatedAt } = publicFields<MediationSettings>(item);
  return { version, followUpDays, types: types as DisputeType[], ...(updatedAt ? { updatedAt } : {}) };
};
