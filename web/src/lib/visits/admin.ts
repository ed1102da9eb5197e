import type { CorrectionStatus, CoverageRow, MAX_CYCLE_DAYS, MIN_CYCLE_DAYS, RunStatus, VisitCycles } from '@gridline/domain';
import type { Role } from '@gridline/domain/rules';

/*
 * The pure side of the visits staff pages: who sees which page, the cycles form read into cycles (or
 * the fields at fault), what a save changed, coverage as bars, and the recompute job's progress.
 */

/*
 * The domain's values need zod, so the web takes its types only: the cycle bounds are restated here
 * with the domain's literal types, so a change there fails the type check here until both agree.
 */
export const MIN_DAYS: typeof MIN_CYCLE_DAYS = 1;
export const MAX_DAYS: typeof MAX_CYCLE_DAYS = 365;

/** The review list's tabs, in order: every correction status once. */
export const CORRECTION_TABS = ['open', 'accepted', 'rejected'] as const satisfies readonly CorrectionStatus[];
// Fails to compile if a status is added to the domain without a tab.
const _everyStatusHasATab: CorrectionStatus extends (typeof CORRECTION_TABS)[number] ? true : never = true;
void _everyStatusHasATab;

/** Only town admins change the town's visit cycles. */
export const canEditCycles = (role: Role): boolean => role === 'town_admin';
/** Coverage is read by the town (communities), community staff and coordinators (their grids), and auditors. */
export const canSeeCoverage = (role: Role): boolean =>
  role === 'town_admin' || role === 'community_staff' || role === 'grid_coordinator' || role === 'auditor';
/** Every role that reads visits sees the corrections proposed in its places. */
export const canReadCorrections = (role: Role): boolean =>
  role === 'town_admin' || role === 'community_staff' || role === 'grid_coordinator' || role === 'auditor';
/** Accepting or rejecting a correction changes the book: town admins and community staff (in their communities). */
export const canDecideCorrections = (role: Role): boolean => role === 'town_admin' || role === 'community_staff';

/** The cycles form as typed: the household cycle and each tag's (an empty tag field means no cycle of its own). */
export type CyclesForm = { householdDays: string; byTag: Record<string, string> };
/** Why a field was refused, as the catalog's key under `visitAdmin.cycles.error.`. */
export type CycleFieldError = 'required' | 'whole' | 'range' | 'longer';
export type CyclesParse =
  | { ok: true; cycles: VisitCycles }
  | { ok: false; errors: { householdDays?: CycleFieldError; byTag: Record<string, CycleFieldError> } };

export const cyclesForm = (c: VisitCycles, tags: readonly string[]): CyclesForm => ({
  householdDays: String(c.householdDays),
  byTag: Object.fromEntries(tags.map((t) => [t, c.byTag[t] === undefined ? '' : String(c.byTag[t])])),
});

function days(raw: string): number | CycleFieldError {
  const s = raw.trim();
  if (s === '') return 'required';
  if (!/^\d+$/.test(s)) return 'whole';
  const n = Number(s);
  return n < MIN_DAYS || n > MAX_DAYS ? 'range' : n;
}

/**
 * Reads the form: whole days within the bounds; a blank tag leaves that tag to the household cycle.
 * A tag's cycle longer than the household's would never apply (a household is visited at least that
 * often), so it is refused as the server refuses it (`visit.cycle_too_long`).
 */
export function parseCycles(form: CyclesForm): CyclesParse {
  const byTagErrors: Record<string, CycleFieldError> = {};
  const byTag: Record<string, number> = {};
  const household = days(form.householdDays);
  for (const [tag, raw] of Object.entries(form.byTag)) {
    if (raw.trim() === '') continue;
    const d = days(raw);
    if (typeof d === 'number') byTag[tag] = d;
    else byTagErrors[tag] = d;
  }
  if (typeof household === 'number') for (const [tag, d] of Object.entries(byTag)) if (d > household) byTagErrors[tag] = 'longer';
  if (typeof household !== 'number' || Object.keys(byTagErrors).length > 0) {
    return { ok: false, errors: { ...(typeof household === 'number' ? {} : { householdDays: household }), byTag: byTagErrors } };
  }
  return { ok: true, cycles: { householdDays: household, byTag } };
}

/** One difference between two sets of cycles: the household cycle, or a tag's (absent = none of its own). */
export type CycleChange = { what: 'household'; from: number; to: number } | { what: 'tag'; tag: string; from?: number; to?: number };

/** What changed from `before` to `after`: the household cycle first, then the tags in `order` (others after, by id). */
export function cyclesDiff(before: VisitCycles, after: VisitCycles, order: readonly string[] = []): CycleChange[] {
  const out: CycleChange[] = [];
  if (before.householdDays !== after.householdDays) out.push({ what: 'household', from: before.householdDays, to: after.householdDays });
  const rest = [...new Set([...Object.keys(before.byTag), ...Object.keys(after.byTag)])].filter((t) => !order.includes(t)).sort();
  for (const tag of [...order, ...rest]) {
    const from = before.byTag[tag];
    const to = after.byTag[tag];
    if (from === to) continue;
    out.push({ what: 'tag', tag, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  }
  return out;
}

/**
 * The history newest first, each save with what it changed from the one before it. The first save
 * (version 1) is compared with `base`, the cycles the town was provisioned with, when known; an entry
 * with nothing known before it has `changes: null` (shown whole).
 */
export function historyLines<T extends VisitCycles & { version: number }>(
  items: readonly T[],
  order: readonly string[] = [],
  base?: VisitCycles,
): Array<{ entry: T; changes: CycleChange[] | null }> {
  const sorted = [...items].sort((a, b) => b.version - a.version);
  return sorted.map((entry, i) => {
    const prev: VisitCycles | undefined = sorted[i + 1] ?? (entry.version === 1 ? base : undefined);
    return { entry, changes: prev ? cyclesDiff(prev, entry, order) : null };
  });
}

/** Whether a job run is still working (the page keeps polling). */
export const jobRunning = (status: RunStatus): boolean => status === 'queued' || status === 'running';
/** A job's progress from 0 to 1, or null while its total is not known yet. */
export const jobShare = (r: { done: number; total: number }): number | null => (r.total > 0 ? Math.min(1, r.done / r.total) : null);
/** How often the settings page asks for the job's progress while it runs (ms). */
export const JOB_POLL_MS = 1500;

/**
 * A share as a whole percentage, rounded down: 100% only when nothing is overdue, so a place that
 * misses one household in a thousand does not read as fully covered.
 */
export const sharePercent = (share: number): number => Math.floor(Math.min(1, Math.max(0, share)) * 100 + 1e-9);

export type CoverageBar = CoverageRow & { percent: number; width: number };

/** Several places' rows as one (a community from its grids): counts summed, a place with no households fully covered. */
export function totalRow(placeId: string, placeKind: CoverageRow['placeKind'], rows: readonly CoverageRow[]): CoverageRow {
  const households = rows.reduce((s, r) => s + r.households, 0);
  const overdue = rows.reduce((s, r) => s + r.overdue, 0);
  return {
    placeId,
    placeKind,
    households,
    overdue,
    covered: households - overdue,
    share: households === 0 ? 1 : (households - overdue) / households,
  };
}

/**
 * Coverage rows as bars on one scale from 0 to 100% (shares are compared against full coverage, not
 * against the best place): lowest share first, so the places that need attention lead; ties by more
 * overdue, then by id. `width` is the bar's fraction of the plot, at least a sliver when not zero.
 */
export function coverageBars(rows: readonly CoverageRow[]): CoverageBar[] {
  return [...rows]
    .sort((a, b) => a.share - b.share || b.overdue - a.overdue || a.placeId.localeCompare(b.placeId))
    .map((r) => {
      const share = Math.min(1, Math.max(0, r.share));
      return { ...r, percent: sharePercent(share), width: share === 0 ? 0 : Math.max(0.01, share) };
    });
}

/** The longest reason a rejection carries (the server keeps the same bound). */
export const REASON_MAX = 300;

/**
 * A decision on a correction at the version read: accepting needs nothing more; rejecting needs a
 * reason (trimmed, within REASON_MAX), else the form says so ('required').
 */
export function decisionBody(
  correction: { version: number },
  decision: 'accept' | 'reject',
  reason = '',
): { ok: true; body: { version: number; decision: 'accept' | 'reject'; reason?: string } } | { ok: false; error: 'required' } {
  const r = reason.trim().slice(0, REASON_MAX);
  if (decision === 'accept') return { ok: true, body: { version: correction.version, decision, ...(r ? { reason: r } : {}) } };
  if (!r) return { ok: false, error: 'required' };
  return { ok: true, body: { version: correction.version, decision, reason: r } };
}
