import type { CounterDelta } from '../book/rules';
import { checkGridFound, checkGridReach, seesKeyGroups } from '../book/rules';
import { AppError } from '../errors';
import type { TownPrincipal } from '../principal';
import { type DueHousehold, VISIT_AHEAD_MS, VISIT_BEHIND_DAYS, VISIT_CHECKS, type VisitFlag, type VisitKind } from './api';
import { householdCycle, isOverdue, moveTagCounts, nextDue, overdueDays, type TagCounts, type VisitCycles, visitDay } from './cycle';

/*
 * Household visits' decisions, as pure functions: who reaches which grid's visits, what a visit may
 * say, and what recording one changes (the household's state, the counters, the flags). The data
 * layer reads, calls these, and commits the outcome in one transaction.
 */

/**
 * A household's visit state, kept beside its record and moved by every book change and visit:
 * its members' tag counts, the cycle they give, its last visit and next due day.
 */
export type VisitState = {
  gridId: string;
  householdId: string;
  communityId: string;
  courtyardId?: string;
  door: string;
  code?: string;
  /** The day the household entered the book (a household never visited is due a cycle after it). */
  since: string;
  tagCounts: TagCounts;
  cycleDays: number;
  drivenBy: string[];
  lastVisitOn?: string;
  lastVisitId?: string;
  lastVisitBy?: string;
  due: string;
  /** Marked by the morning job once the due day has passed; cleared by a visit that moves the due past today. */
  overdue: boolean;
  /** Bumped by every write of the state. */
  version: number;
  /** The version the last book change (members, tags, address) left: a visit seen before it is flagged. */
  bookVersion?: number;
  updatedAt: string;
};

/** Refuses a grid outside the caller's reach (coordinators by grid; staff by community once the grid is read). */
export function checkVisitGrid<G extends { communityId: string }>(principal: TownPrincipal, gridId: string, grid?: G): G | undefined {
  checkGridReach(principal, gridId);
  return grid === undefined ? undefined : checkGridFound(principal, grid);
}

/** Refuses a community outside the caller's: coordinators list by grid, staff only their communities. */
export function checkVisitCommunity(principal: TownPrincipal, communityId: string): void {
  if (principal.role === 'grid_coordinator')
    throw new AppError('scope.community', 403, 'Coordinators list their own grids.', { field: 'query.communityId' });
  if (principal.role === 'community_staff' && !principal.scope.communities.includes(communityId))
    throw new AppError('scope.community', 403, 'This community is not yours.', { field: 'query.communityId' });
}

/** A visit's time: not more than five minutes ahead of the server, not more than fourteen days behind. */
export function checkVisitedAt(visitedAt: string, now: string): void {
  const at = Date.parse(visitedAt);
  const t = Date.parse(now);
  if (at > t + VISIT_AHEAD_MS) throw new AppError('visit.in_future', 422, 'A visit cannot be in the future.', { field: 'body.visitedAt' });
  if (at < t - VISIT_BEHIND_DAYS * 86_400_000)
    throw new AppError('visit.too_old', 422, `A visit more than ${VISIT_BEHIND_DAYS} days old cannot be recorded.`, {
      field: 'body.visitedAt',
    });
}

/** Checks must be findings of the visit's kind, each once. */
export function checkVisitChecks(kind: VisitKind, checks: readonly string[]): void {
  const allowed = VISIT_CHECKS[kind];
  const bad = checks.find((c) => !allowed.includes(c));
  if (bad !== undefined) throw new AppError('visit.check', 400, `"${bad}" is not a finding of a ${kind} visit.`, { field: 'body.checks' });
  if (new Set(checks).size !== checks.length)
    throw new AppError('visit.check', 400, 'A finding is listed twice.', { field: 'body.checks' });
}

/**
 * People seen must be members of the household (any of them, active or not: a person closed after
 * the device read the household was still seen). A closed household with no members read skips this.
 */
export function checkVisitSeen(seen: readonly string[], members: readonly string[]): void {
  const known = new Set(members);
  const stranger = seen.find((p) => !known.has(p));
  if (stranger !== undefined)
    throw new AppError('visit.seen', 422, 'Someone seen is not a member of this household.', { field: 'body.seen' });
  if (new Set(seen).size !== seen.length) throw new AppError('visit.seen', 422, 'Someone is listed twice.', { field: 'body.seen' });
}

/** Whose drivenBy tags may be shown: key-group tags become `key_group` without the key-groups permission. */
export function shownDrivenBy(principal: TownPrincipal, drivenBy: readonly string[], keyGroups: readonly string[]): string[] {
  if (seesKeyGroups(principal)) return [...drivenBy];
  const out = drivenBy.map((t) => (keyGroups.includes(t) ? 'key_group' : t));
  return [...new Set(out)];
}

/** A state as a due list shows it on `today`. */
export function dueHousehold(s: VisitState, today: string, drivenBy: string[] = s.drivenBy): DueHousehold {
  return {
    householdId: s.householdId,
    gridId: s.gridId,
    communityId: s.communityId,
    ...(s.courtyardId ? { courtyardId: s.courtyardId } : {}),
    door: s.door,
    ...(s.code ? { code: s.code } : {}),
    cycleDays: s.cycleDays,
    drivenBy,
    due: s.due,
    ...(s.lastVisitOn ? { lastVisitOn: s.lastVisitOn } : {}),
    overdueDays: overdueDays(s.due, today),
    version: s.version,
  };
}

// ---------------------------------------------------------------------------------------------------
// States: created with a household, moved by its members' tags, recomputed when cycles change.

type HouseholdLike = {
  gridId: string;
  householdId: string;
  communityId: string;
  courtyardId?: string | undefined;
  door: string;
  code?: string | undefined;
};

/** The state of a household entering the book on `since`, its members' tags counted in `tagCounts`. */
export function newVisitState(h: HouseholdLike, since: string, tagCounts: TagCounts, cycles: VisitCycles, now: string): VisitState {
  const cycle = householdCycle(tagCounts, cycles);
  return {
    gridId: h.gridId,
    householdId: h.householdId,
    communityId: h.communityId,
    ...(h.courtyardId ? { courtyardId: h.courtyardId } : {}),
    door: h.door,
    ...(h.code ? { code: h.code } : {}),
    since,
    tagCounts,
    cycleDays: cycle.days,
    drivenBy: cycle.drivenBy,
    due: nextDue({ since }, cycle.days),
    overdue: false,
    version: 1,
    bookVersion: 1,
    updatedAt: now,
  };
}

/** The tag counts of some members: each member's special and key tags, counted once per member. */
export function countTags(members: ReadonlyArray<{ tags: readonly string[]; keyTags?: readonly string[]; status?: string }>): TagCounts {
  let counts: TagCounts = {};
  for (const m of members)
    if (m.status === undefined || m.status === 'active') counts = moveTagCounts(counts, [...m.tags, ...(m.keyTags ?? [])], 1);
  return counts;
}

/**
 * A state after its tag counts become `tagCounts` (or the cycles change): its cycle, due and the
 * version of this book change. An overdue mark is cleared when the new due is today or later (a longer
 * cycle); it is never set here (the morning job marks newly overdue households).
 */
export function restate(
  s: VisitState,
  tagCounts: TagCounts,
  cycles: VisitCycles,
  now: string,
  address?: Partial<HouseholdLike>,
): VisitState {
  const cycle = householdCycle(tagCounts, cycles);
  const next: VisitState = {
    ...s,
    ...(address ?? {}),
    tagCounts,
    cycleDays: cycle.days,
    drivenBy: cycle.drivenBy,
    due: nextDue(s, cycle.days),
    overdue: s.overdue && isOverdue(nextDue(s, cycle.days), visitDay(now)),
    version: s.version + 1,
    bookVersion: s.version + 1,
    updatedAt: now,
  };
  for (const f of ['courtyardId', 'code'] as const) if (next[f] === undefined) delete next[f];
  return next;
}

/** Whether two tag counts are the same (a change that moves no tag leaves the state alone). */
export const sameCounts = (a: TagCounts, b: TagCounts): boolean => {
  const ka = Object.keys(a).filter((k) => (a[k] ?? 0) > 0);
  const kb = Object.keys(b).filter((k) => (b[k] ?? 0) > 0);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
};

/** The counters of a household's state appearing (+1) or going (−1), with its overdue mark. */
export function stateCounts(s: Pick<VisitState, 'gridId' | 'overdue'>, sign: 1 | -1): CounterDelta[] {
  const deltas: Record<string, number> = { visit_households: sign };
  if (s.overdue) deltas.visit_overdue = sign;
  return [
    { scope: 'TOWN', deltas },
    { scope: `GRID#${s.gridId}`, deltas },
  ];
}

// ---------------------------------------------------------------------------------------------------
// A visit.

export type VisitPlan = {
  /** The state after the visit; undefined when the household is closed (nothing moves). */
  after?: VisitState;
  counters: CounterDelta[];
  flags: VisitFlag[];
};

/**
 * What recording a visit changes. `state` is the household's state as read (undefined when the
 * household is closed). The last visit moves only forward (a visit recorded late, older than the
 * last, changes no due); an overdue mark is cleared once the new due is today or later, counted as
 * cleared in the visit's month. The month's flows count every visit, a closed household's included.
 */
export function planVisit(
  state: VisitState | undefined,
  visit: { visitId: string; on: string; kind: VisitKind; by: string; seenVersion?: number | undefined },
  today: string,
  now: string,
): VisitPlan {
  const month = `MONTH#${visit.on.slice(0, 7)}` as const;
  const flows: Record<string, number> = { visits: 1, [`visits_${visit.kind}`]: 1 };
  if (!state) return { counters: [{ scope: month, deltas: flows }], flags: ['household_closed'] };
  const flags: VisitFlag[] = [];
  if (visit.seenVersion !== undefined && visit.seenVersion < (state.bookVersion ?? 1)) flags.push('household_changed');
  const later = state.lastVisitOn === undefined || visit.on >= state.lastVisitOn;
  const lastVisitOn = later ? visit.on : (state.lastVisitOn as string);
  const due = nextDue({ lastVisitOn, since: state.since }, state.cycleDays);
  const overdue = state.overdue && isOverdue(due, today);
  const counters: CounterDelta[] = [];
  if (state.overdue && !overdue) {
    flows.visits_overdue_cleared = 1;
    counters.push({ scope: 'TOWN', deltas: { visit_overdue: -1 } }, { scope: `GRID#${state.gridId}`, deltas: { visit_overdue: -1 } });
  }
  counters.unshift({ scope: month, deltas: flows });
  const after: VisitState = {
    ...state,
    lastVisitOn,
    ...(later ? { lastVisitId: visit.visitId, lastVisitBy: visit.by } : {}),
    due,
    overdue,
    version: state.version + 1,
    updatedAt: now,
  };
  return { after, counters, flags };
}

/** The China day of a visit's time. */
export const visitOn = (visitedAt: string): string => visitDay(visitedAt);
