import { shanghaiDay } from '../common/days';

/*
 * Household visits (下户走访, issue 14): how often a household is due and when it next is. Pure: the
 * data layer keeps each household's visit state (its members' tag counts, last visit, due day) and
 * calls these on every change that moves it; the cycle job calls them again when a town's cycles change.
 */

/** A town's visit cycles in days: every household, and shorter ones for households with members in a group. */
export type VisitCycles = { householdDays: number; byTag: Record<string, number> };

/** Bounds of a cycle in days (a day at least, a year at most). */
export const MIN_CYCLE_DAYS = 1;
export const MAX_CYCLE_DAYS = 365;

/**
 * How many active members of a household carry each tag (special groups and key groups alike, since
 * both can shorten the cycle). Kept on the household's visit state, moved by every book change.
 */
export type TagCounts = Record<string, number>;

/** The tag counts after some members' tags leave (`-1`) or arrive (`+1`); a count reaching 0 is dropped. */
export function moveTagCounts(counts: TagCounts, tags: readonly string[], delta: 1 | -1): TagCounts {
  const next: TagCounts = { ...counts };
  for (const t of new Set(tags)) {
    const n = (next[t] ?? 0) + delta;
    if (n > 0) next[t] = n;
    else delete next[t];
  }
  return next;
}

/**
 * A household's cycle: the shortest among its members' tags that have a cycle of their own, else the
 * household cycle; `drivenBy` names the tags giving that shortest cycle (empty for the household cycle).
 */
export function householdCycle(counts: TagCounts, cycles: VisitCycles): { days: number; drivenBy: string[] } {
  let days = cycles.householdDays;
  let drivenBy: string[] = [];
  for (const [tag, n] of Object.entries(counts)) {
    const d = cycles.byTag[tag];
    if (n <= 0 || d === undefined) continue;
    if (d < days) {
      days = d;
      drivenBy = [tag];
    } else if (d === days && drivenBy.length > 0) drivenBy.push(tag);
  }
  return { days, drivenBy: drivenBy.sort() };
}

/** A calendar day (`YYYY-MM-DD`) moved by whole days. */
export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * When a household is next due: its cycle after the last visit, or after the day it entered the book
 * when nobody has visited yet (a new household is not overdue on the day it is entered).
 */
export function nextDue(state: { lastVisitOn?: string | undefined; since: string }, cycleDays: number): string {
  return addDays(state.lastVisitOn ?? state.since, cycleDays);
}

/** How many days past due a household is on `today` (0 when due today or later). */
export const overdueDays = (due: string, today: string): number => Math.max(0, daysBetween(due, today));

/** Whether a household is overdue on `today`: its due day has passed. Due today is not yet overdue. */
export const isOverdue = (due: string, today: string): boolean => due < today;

/** The China day of an instant (Asia/Shanghai has no daylight saving), which every visit date is counted in. */
export const visitDay = (at: string | Date): string => shanghaiDay(at);
