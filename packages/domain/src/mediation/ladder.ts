import { AppError } from '../errors';
import { FINAL_MEDIATION_STATUSES, MEDIATION_LEVELS, type MediationLevel, type MediationStatus } from './api';

/*
 * The mediation ladder (院落 → 社区 → 镇调解中心) as plain functions: the next level, whether a case may
 * climb, diversion at intake, and who mediates a level. No I/O, no clock.
 */

/** Every refusal of mediation: a stable code, its status and a message safe to show. */
export const MEDIATION_REFUSALS = {
  'mediation.not_of_town': { status: 403, message: 'This case is not of your town.' },
  'mediation.read_only': { status: 403, message: 'Your role reads mediation cases but does not act on them.' },
  'mediation.out_of_scope': { status: 403, message: 'This case is not at your level or not in your grids or communities.' },
  'mediation.participant_only': { status: 403, message: 'An invited participant adds sessions and notes; the mediators decide.' },
  'mediation.version_conflict': { status: 409, message: 'Someone acted on this case meanwhile; here it is as it stands now.' },
  'mediation.closed': { status: 409, message: 'This case is closed.' },
  'mediation.wrong_status': { status: 409, message: 'This cannot be done to the case as it stands now.' },
  'mediation.top_level': { status: 422, message: 'The town mediation centre is the top of the ladder.' },
  'mediation.no_mediator': { status: 422, message: 'Nobody holds the mediation post for this level and place.' },
  'mediation.reason_required': { status: 422, message: 'Say why the case skips courtyard mediation.' },
  'mediation.unknown_grid': { status: 422, message: 'No such grid in this town.' },
  'mediation.unknown_type': { status: 422, message: 'Not a dispute type of this town’s catalogue.' },
  'mediation.follow_up_not_due': { status: 422, message: 'The next follow-up is not due yet.' },
  'mediation.invitation_expired': { status: 422, message: 'An invitation runs until today or later.' },
} as const satisfies Record<string, { status: 403 | 409 | 422; message: string }>;

export type MediationRefusalCode = keyof typeof MEDIATION_REFUSALS;

/** The refusal as the one error type of Gridline; a version conflict carries the case as it stands. */
export function mediationRefusal(code: MediationRefusalCode, options: { field?: string; current?: unknown } = {}): AppError {
  const r = MEDIATION_REFUSALS[code];
  return new AppError(code, r.status, r.message, options);
}

const rank = (l: MediationLevel) => MEDIATION_LEVELS.indexOf(l);

/** The level above, or undefined at the town. */
export const nextLevel = (l: MediationLevel): MediationLevel | undefined => MEDIATION_LEVELS[rank(l) + 1];

/** Whether `a` stands above `b` on the ladder. */
export const isAboveLevel = (a: MediationLevel, b: MediationLevel) => rank(a) > rank(b);

/** Why a case may not climb from where it stands, or undefined when it may (only an open case below the town climbs). */
export function escalationRefusal(c: { status: MediationStatus; level: MediationLevel }): MediationRefusalCode | undefined {
  if (FINAL_MEDIATION_STATUSES.includes(c.status)) return 'mediation.closed';
  if (c.status !== 'open') return 'mediation.wrong_status';
  if (nextLevel(c.level) === undefined) return 'mediation.top_level';
  return undefined;
}

/** Whether a case may climb one level. */
export const mayEscalate = (c: { status: MediationStatus; level: MediationLevel }) => escalationRefusal(c) === undefined;

/**
 * Diversion (分流) at intake: a case may start at any level, but skipping courtyard mediation says why.
 * Returns the refusal, or undefined.
 */
export function diversionRefusal(level: MediationLevel, reason: string | undefined): MediationRefusalCode | undefined {
  return level !== 'courtyard' && !reason?.trim() ? 'mediation.reason_required' : undefined;
}

/** `TOWN` names the town's mediation centre as a place. */
export const TOWN_PLACE = 'TOWN';

/**
 * A mediation post of the team (调解员岗位), as the caller read it: the level, its place (the grid for a
 * courtyard post, the community for a community post, `TOWN` for the centre) and who holds it.
 */
export type MediatorPost = { level: MediationLevel; place: string; usernames: readonly string[] };

/** The place a case's level is mediated at. */
export function placeOf(level: MediationLevel, c: { gridId: string; communityId: string }): string {
  if (level === 'courtyard') return c.gridId;
  if (level === 'community') return c.communityId;
  return TOWN_PLACE;
}

/** Who mediates `level` for the case's place: the holders of its posts, each once, in order. */
export function mediatorsOf(posts: readonly MediatorPost[], level: MediationLevel, c: { gridId: string; communityId: string }): string[] {
  const place = placeOf(level, c);
  const out: string[] = [];
  for (const p of posts) if (p.level === level && p.place === place) for (const u of p.usernames) if (!out.includes(u)) out.push(u);
  return out;
}

/** Whether `username` holds a post for `level` at the case's place. */
export const holdsPost = (
  posts: readonly MediatorPost[],
  username: string,
  level: MediationLevel,
  c: { gridId: string; communityId: string },
) => mediatorsOf(posts, level, c).includes(username);
