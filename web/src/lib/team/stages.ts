import type { CoverageView, TeamStage } from '@gridline/domain';
import { isTownRole, type Role, TEAM_READ, TOWN_ADMIN } from '@gridline/domain/rules';

/*
 * Pure helpers of the team pages: the order of the pipeline, what a town admin may record next at each
 * stage, and the gaps of a coverage matrix. The rules themselves are the API's (packages/domain team/rules);
 * these only decide what the page offers.
 */

/** The stages in the order a person moves through them; the ends (left, dismissed) last. */
export const STAGE_ORDER = [
  'candidate',
  'rejected',
  'inspected',
  'trained',
  'appointed',
  'left',
  'dismissed',
] as const satisfies readonly TeamStage[];

/** The steps the record page offers as forms. */
export type TeamForm = 'inspect' | 'train' | 'appoint' | 'transfer' | 'leave' | 'dismiss' | 'override';

/** What may follow each stage, the main step first; final stages offer nothing. */
const NEXT: Record<TeamStage, readonly TeamForm[]> = {
  candidate: ['inspect', 'override', 'leave'],
  rejected: ['override', 'leave'],
  inspected: ['train', 'override', 'leave'],
  trained: ['appoint', 'leave'],
  appointed: ['transfer', 'dismiss', 'leave'],
  left: [],
  dismissed: [],
};
export const nextSteps = (stage: TeamStage): readonly TeamForm[] => NEXT[stage];

/** The step an override waives at this stage (inspection before it is passed, training after). */
export function waivable(stage: TeamStage): 'inspect' | 'train' | undefined {
  if (stage === 'candidate' || stage === 'rejected') return 'inspect';
  if (stage === 'inspected') return 'train';
  return undefined;
}

/** Whether the record is closed (no step follows). */
export const isFinal = (stage: TeamStage) => stage === 'left' || stage === 'dismissed';

/** Rows ordered by stage along the pipeline, then by name (zh-CN collation). */
export function byStage<R extends { stage: TeamStage; name: string }>(rows: readonly R[]): R[] {
  const rank = (s: TeamStage) => STAGE_ORDER.indexOf(s);
  return [...rows].sort((a, b) => rank(a.stage) - rank(b.stage) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** How many rows are at each stage (every stage present, zero when none). */
export function stageCounts(rows: ReadonlyArray<{ stage: TeamStage }>): Record<TeamStage, number> {
  const out = Object.fromEntries(STAGE_ORDER.map((s) => [s, 0])) as Record<TeamStage, number>;
  for (const r of rows) out[r.stage] += 1;
  return out;
}

/** Reads a stage filter from the address (?stage=); anything else means every stage. */
export const stageFilter = (v: string | null): TeamStage | null =>
  v !== null && (STAGE_ORDER as readonly string[]).includes(v) ? (v as TeamStage) : null;

export type CoverageGaps = {
  /** Grids nobody answers for. */
  grids: Set<string>;
  /** Posts nobody holds in the community. */
  posts: Set<string>;
  /** Cells (`gridId|postId`) with no holder. */
  cells: Set<string>;
};

/** The gaps of a coverage matrix: grids without a responsible person, posts unheld, empty cells. */
export function coverageGaps(c: CoverageView): CoverageGaps {
  const cells = new Set<string>();
  for (const g of c.grids) for (const p of c.posts) if (!(g.cells[p.id]?.length ?? 0)) cells.add(`${g.gridId}|${p.id}`);
  return { grids: new Set(c.gridsWithoutResponsible), posts: new Set(c.postsUnheld), cells };
}

/** The appointed coordinators a grid may be given as responsible: those holding a post in that grid. */
export function holdersOfGrid(c: CoverageView, gridId: string): Array<{ coordinatorId: string; name: string }> {
  const g = c.grids.find((x) => x.gridId === gridId);
  if (!g) return [];
  const seen = new Map<string, string>();
  for (const list of Object.values(g.cells)) for (const h of list) seen.set(h.coordinatorId, h.name);
  return [...seen].map(([coordinatorId, name]) => ({ coordinatorId, name }));
}

/** Splits a text area of one course per line (or separated by 、 or commas) into the course titles. */
export const courseList = (text: string): string[] =>
  text
    .split(/[\n,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Whether a role reads the team (TEAM_READ); only town admins record its steps. */
export const canReadTeam = (role: Role): boolean => isTownRole(role) && TEAM_READ.includes(role);
export const canRecordTeam = (role: Role): boolean => isTownRole(role) && TOWN_ADMIN.includes(role);
