import { MATTER_LEVELS, type MatterLevel } from '../defaults';
import type { TownRole } from '../rules';

/*
 * The matter ladder (事件分级处置) as data: the levels a matter climbs, the states it can be in, the
 * actions, who may take each one and where each one leads. ./rules reads these tables and nothing else
 * decides; the web asks the same tables what to offer. No I/O, no clock: plain values.
 */

/*
 * The levels of the ladder, lowest first (`MATTER_LEVELS`, kept in ../defaults beside their SLA): the
 * grid, the community's station (工作站), the town's centre (中心). A county department is not a level:
 * a town transfers a matter to one and records it.
 */
export { MATTER_LEVELS, type MatterLevel } from '../defaults';

/**
 * Where a matter stands. `open`: it arrived at its level (raised, escalated, skipped up, sent back,
 * reopened) and waits to be accepted there; `accepted`: someone at the level handles it; `transferred`:
 * the town handed it to a county department and waits for its answer; `resolved`: handled, waiting for
 * the return visit; `closed` and `merged` are final.
 */
export const MATTER_STATUSES = ['open', 'accepted', 'transferred', 'resolved', 'closed', 'merged'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];
/** States no action leaves. */
export const FINAL_MATTER_STATUSES: readonly MatterStatus[] = ['closed', 'merged'];

export const MATTER_ACTIONS = [
  'accept',
  'resolve',
  'escalate',
  'skip',
  'send_back',
  'reassign',
  'merge',
  'transfer',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'return_visit',
  'close_without_visit',
] as const;
export type MatterAction = (typeof MATTER_ACTIONS)[number];

/** 一般 / 紧急 / 特急. */
export const MATTER_URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type MatterUrgency = (typeof MATTER_URGENCIES)[number];

/** How a matter came in: a coordinator's own finding, a household visit, at the counter, by phone, or a hotline (12345) order. */
export const MATTER_CHANNELS = ['coordinator', 'visit', 'walk_in', 'phone', 'hotline'] as const;
export type MatterChannel = (typeof MATTER_CHANNELS)[number];

/** 满意 / 基本满意 / 不满意. */
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** How the return visit reached the resident. */
export const VISIT_METHODS = ['phone', 'in_person', 'sms', 'wechat', 'other'] as const;
export type VisitMethod = (typeof VISIT_METHODS)[number];

/**
 * Who handles a level: the role, and which entry of the principal's scope must name the matter's place
 * (`grid`: its grid among `scope.grids`; `community`: its community among `scope.communities`; `town`:
 * the whole town). The scope must name the place: an empty scope gives a coordinator or community
 * staff no matter to act on, never the whole town, so a claim that lost its entries fails closed.
 */
export const LEVEL_HANDLERS: Record<MatterLevel, { role: TownRole; scope: 'grid' | 'community' | 'town' }> = {
  grid: { role: 'grid_coordinator', scope: 'grid' },
  community: { role: 'community_staff', scope: 'community' },
  town: { role: 'town_admin', scope: 'town' },
};

/** Roles that read matters (within their scope); of these, only the handlers of a level act. */
export const MATTERS_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'auditor'];
/** Roles that act on matters at some level. */
export const MATTERS_ACT: readonly TownRole[] = MATTER_LEVELS.map((l) => LEVEL_HANDLERS[l].role);

/**
 * Who may take an action, relative to the matter:
 *   - `current`: a handler of the level the matter stands at, for its place;
 *   - `above`: a handler of the level above it in the town's ladder (extensions are decided there);
 *   - `resolver_or_above`: a handler of the level that resolved it or of any level above (return visits).
 */
export type ActorRule = 'current' | 'above' | 'resolver_or_above';

/**
 * One action of the ladder: the states it may start from, who takes it, the states it may lead to
 * (`unchanged`: the status stays, the matter's other fields move), the levels it exists at (all when
 * absent), and the reason it needs (`reason`: 2–500 characters).
 */
export type LadderRule = {
  from: readonly MatterStatus[];
  by: ActorRule;
  to: readonly MatterStatus[] | 'unchanged';
  levels?: readonly MatterLevel[];
  /** The level the matter stands at afterwards. */
  moves: 'stays' | 'up_one' | 'up_to' | 'down';
  reason: 'required' | 'optional' | 'when_dissatisfied';
};

/** The ladder: every action, once. */
export const MATTER_LADDER: Record<MatterAction, LadderRule> = {
  accept: { from: ['open'], by: 'current', to: ['accepted'], moves: 'stays', reason: 'optional' },
  resolve: { from: ['accepted', 'transferred'], by: 'current', to: ['resolved'], moves: 'stays', reason: 'optional' },
  escalate: { from: ['accepted'], by: 'current', to: ['open'], moves: 'up_one', reason: 'required' },
  skip: { from: ['accepted'], by: 'current', to: ['open'], moves: 'up_to', reason: 'required' },
  send_back: { from: ['open', 'accepted'], by: 'current', to: ['open'], moves: 'down', reason: 'required' },
  reassign: { from: ['open', 'accepted', 'transferred'], by: 'current', to: 'unchanged', moves: 'stays', reason: 'optional' },
  merge: { from: ['open', 'accepted'], by: 'current', to: ['merged'], moves: 'stays', reason: 'required' },
  transfer: { from: ['accepted'], by: 'current', to: ['transferred'], levels: ['town'], moves: 'stays', reason: 'required' },
  request_extension: { from: ['open', 'accepted'], by: 'current', to: 'unchanged', moves: 'stays', reason: 'required' },
  approve_extension: { from: ['open', 'accepted'], by: 'above', to: 'unchanged', moves: 'stays', reason: 'optional' },
  reject_extension: { from: ['open', 'accepted'], by: 'above', to: 'unchanged', moves: 'stays', reason: 'required' },
  return_visit: { from: ['resolved'], by: 'resolver_or_above', to: ['closed', 'open'], moves: 'stays', reason: 'when_dissatisfied' },
  close_without_visit: { from: ['resolved'], by: 'resolver_or_above', to: ['closed'], moves: 'stays', reason: 'required' },
};

/** The actions that may start from a status (the whole table read one way). */
export const actionsFrom = (status: MatterStatus): MatterAction[] => MATTER_ACTIONS.filter((a) => MATTER_LADDER[a].from.includes(status));

/**
 * A town's ladder: the levels in use (lowest first; the grid and the town always), whether a level may be
 * skipped with a reason, and whether the town may transfer to a county department.
 */
export type LadderConfig = { levels: readonly MatterLevel[]; allowSkip: boolean; allowTransfer: boolean };

/** Every level, skipping allowed (with a reason, audited), transfers allowed. */
export const DEFAULT_LADDER: LadderConfig = { levels: MATTER_LEVELS, allowSkip: true, allowTransfer: true };

/** Extensions one matter may ask for over its life: past that, the level above should take it. */
export const MAX_EXTENSIONS = 10;

const rank = (l: MatterLevel) => MATTER_LEVELS.indexOf(l);

/** The levels of the ladder in use above `level`, nearest first. */
export const levelsAbove = (ladder: LadderConfig, level: MatterLevel): MatterLevel[] =>
  MATTER_LEVELS.filter((l) => rank(l) > rank(level) && ladder.levels.includes(l));

/** The levels of the ladder in use below `level`, nearest first. */
export const levelsBelow = (ladder: LadderConfig, level: MatterLevel): MatterLevel[] =>
  MATTER_LEVELS.filter((l) => rank(l) < rank(level) && ladder.levels.includes(l)).reverse();

/** Levels a skip from `level` may land on: in use, above the next level up. Empty when skipping is off. */
export const skipTargets = (ladder: LadderConfig, level: MatterLevel): MatterLevel[] =>
  ladder.allowSkip ? levelsAbove(ladder, level).slice(1) : [];

/** Whether `a` is above `b` on the ladder. */
export const isAbove = (a: MatterLevel, b: MatterLevel) => rank(a) > rank(b);
