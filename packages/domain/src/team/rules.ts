import type { CounterDelta } from '../book/rules';
import { AppError } from '../errors';
import type { TownRole } from '../rules';
import type { Appoint, CoordinatorView, Exit, Inspect, Override, Recommend, Train, Transfer } from './api';
import { type CoverageHolder, type CoverageState, emptyCoverage, FINAL_STAGES, type OverridableStep, type TeamStage } from './stages';
export * from './stages';

/**
 * The team's rules (协管员队伍, 三定一包), as pure functions: each takes the state the caller read — the
 * coordinator's record, the coverage of the communities it touches — and refuses (an AppError) or
 * returns the change to commit: the record after, the one history event, the coverage after, the
 * counters and the audit action. `@gridline/data` (team/) turns a plan into one transaction.
 */

/**
 * The sealed forms of a coordinator's ID number and phone: the vault's ciphertexts, opaque to the rules,
 * kept on the record and never answered (decision 74).
 */
export type SealedContacts = { idNumberSealed?: string; phoneSealed?: string };
/** What a recommendation keeps of the person's contacts: the sealed values and their masks. */
export type KeptContacts = SealedContacts & { idNumberMasked?: string; phoneMasked?: string };

/** A coordinator's record as the rules see it (the store adds its version): the view and the sealed contacts. */
export type Coordinator = Omit<CoordinatorView, 'version'> & SealedContacts;

export type TeamAction =
  | { kind: 'recommend'; body: Recommend; contacts?: KeptContacts }
  | { kind: 'inspect'; body: Inspect }
  | { kind: 'train'; body: Train }
  | { kind: 'appoint'; body: Appoint }
  | { kind: 'transfer'; body: Transfer }
  | { kind: 'leave'; body: Exit }
  | { kind: 'dismiss'; body: Exit }
  | { kind: 'override'; body: Override };

export type TeamContext = {
  actor: string;
  role: TownRole;
  now: string;
  /** The town's post catalogue (ids). */
  posts: readonly string[];
  /** The coverage of each community the step touches, as read (absent: nobody there yet). */
  coverage: Record<string, CoverageState | undefined>;
};

/** One entry of history, for the coordinator named. */
export type TeamEvent = { coordinatorId: string; kind: string; details: Record<string, unknown> };

export type TeamPlan = {
  before?: Coordinator;
  after: Coordinator;
  events: TeamEvent[];
  /** Each coverage item the step changes: before (absent when new) and after. */
  coverage: Array<{ before?: CoverageState; after: CoverageState }>;
  counters: CounterDelta[];
  audit: { action: string; details?: Record<string, unknown> };
};

const outOfOrder = (what: string, stage: TeamStage) =>
  new AppError('team.out_of_order', 409, `${what} cannot be recorded at the stage "${stage}".`);

/** The stage each step expects, and the stage a waiver of it leads to. */
const WAIVER: Record<OverridableStep, { from: readonly TeamStage[]; to: TeamStage }> = {
  inspect: { from: ['candidate', 'rejected'], to: 'inspected' },
  train: { from: ['inspected'], to: 'trained' },
};

const stageMove = (before: TeamStage | undefined, after: TeamStage): Record<string, number> => {
  if (before === after) return {};
  const d: Record<string, number> = { [`team_stage_${after}`]: 1 };
  if (before) d[`team_stage_${before}`] = -1;
  return d;
};

/** Counts of a coverage item the county sees: grids with a responsible coordinator, posts held by someone. */
export function coverageCounts(c: CoverageState | undefined): { gridsResponsible: number; postsHeld: number } {
  if (!c) return { gridsResponsible: 0, postsHeld: 0 };
  const held = new Set(Object.values(c.holders).flatMap((h) => h.postIds));
  return { gridsResponsible: Object.keys(c.responsible).length, postsHeld: held.size };
}

/** The TOWN counter deltas of coverage changes. */
function coverageDeltas(changes: TeamPlan['coverage']): Record<string, number> {
  let grids = 0;
  let posts = 0;
  for (const { before, after } of changes) {
    const b = coverageCounts(before);
    const a = coverageCounts(after);
    grids += a.gridsResponsible - b.gridsResponsible;
    posts += a.postsHeld - b.postsHeld;
  }
  const out: Record<string, number> = {};
  if (grids) out.team_grids_responsible = grids;
  if (posts) out.team_posts_held = posts;
  return out;
}

const clone = (c: CoverageState): CoverageState => structuredClone(c);

/** Only the sealed values and masks of a recommendation's contacts, whatever else the caller passed. */
function keptContacts(c: KeptContacts | undefined): KeptContacts {
  const out: KeptContacts = {};
  if (c?.idNumberSealed && c.idNumberMasked) {
    out.idNumberSealed = c.idNumberSealed;
    out.idNumberMasked = c.idNumberMasked;
  }
  if (c?.phoneSealed && c.phoneMasked) {
    out.phoneSealed = c.phoneSealed;
    out.phoneMasked = c.phoneMasked;
  }
  return out;
}

/** A coordinator's entry in a coverage: name, grids, posts and (when recorded) the sealed phone, for the directory. */
export function holderEntry(c: Coordinator, gridIds: readonly string[], postIds: readonly string[]): CoverageHolder {
  return { name: c.name, gridIds: [...gridIds], postIds: [...postIds], ...(c.phoneSealed ? { phoneSealed: c.phoneSealed } : {}) };
}

/** A coordinator taken off a community's coverage; returns the events of grids they no longer answer for. */
function removeHolder(c: CoverageState, coordinatorId: string, keepGrids: readonly string[]): Array<{ gridId: string }> {
  delete c.holders[coordinatorId];
  const dropped: Array<{ gridId: string }> = [];
  for (const [gridId, r] of Object.entries(c.responsible))
    if (r.coordinatorId === coordinatorId && !keepGrids.includes(gridId)) {
      delete c.responsible[gridId];
      dropped.push({ gridId });
    }
  return dropped;
}

function checkPosts(postIds: readonly string[], catalogue: readonly string[]): void {
  const unknown = postIds.filter((p) => !catalogue.includes(p));
  if (unknown.length)
    throw new AppError('team.unknown_post', 400, `Not a post of this town: ${unknown.join(', ')}.`, { field: 'body.postIds' });
  if (new Set(postIds).size !== postIds.length)
    throw new AppError('team.duplicate_post', 400, 'A post is listed twice.', { field: 'body.postIds' });
}

/**
 * Plans one step of a person's record. `before` is the record read (absent only for a recommendation,
 * which creates it with `coordinatorId`). Steps follow one another in order; an override (town admins
 * only, with a reason) waives inspection or training and moves the record as if the step were done.
 */
export function planTeamStep(ctx: TeamContext, before: Coordinator | undefined, action: TeamAction, coordinatorId?: string): TeamPlan {
  const { now } = ctx;
  const base = { before, events: [] as TeamEvent[], coverage: [] as TeamPlan['coverage'] };
  if (action.kind === 'recommend') {
    if (before) throw new AppError('team.exists', 409, 'This person already has a record.');
    if (!coordinatorId) throw new Error('a recommendation needs the new record id');
    // The ID number and phone in clear never reach the record or its history: only what the store sealed.
    const { name, communityId, idNumber: _id, phone: _phone, ...recommendation } = action.body;
    const kept = keptContacts(action.contacts);
    const after: Coordinator = {
      coordinatorId,
      name,
      communityId,
      stage: 'candidate',
      ...kept,
      recommendation,
      overrides: [],
      createdAt: now,
      updatedAt: now,
    };
    return {
      ...base,
      before: undefined,
      after,
      events: [
        {
          coordinatorId,
          kind: 'recommended',
          details: {
            name,
            communityId,
            ...recommendation,
            ...(kept.idNumberMasked ? { idNumberMasked: kept.idNumberMasked } : {}),
            ...(kept.phoneMasked ? { phoneMasked: kept.phoneMasked } : {}),
          },
        },
      ],
      counters: [{ scope: 'TOWN', deltas: stageMove(undefined, 'candidate') }],
      audit: { action: 'team.recommend', details: { communityId } },
    };
  }
  if (!before) throw new AppError('team.not_found', 404, 'No such person on the team.');
  const id = before.coordinatorId;
  if (FINAL_STAGES.includes(before.stage)) throw outOfOrder(`The step "${action.kind}"`, before.stage);
  const done = (
    after: Coordinator,
    kind: string,
    details: Record<string, unknown>,
    extra: Partial<Pick<TeamPlan, 'events' | 'coverage'>> & { month?: Record<string, number> } = {},
  ): TeamPlan => {
    const coverage = extra.coverage ?? [];
    const town = { ...stageMove(before.stage, after.stage), ...coverageDeltas(coverage) };
    const counters: CounterDelta[] = [];
    if (Object.keys(town).length) counters.push({ scope: 'TOWN', deltas: town });
    if (extra.month) counters.push({ scope: `MONTH#${now.slice(0, 7)}`, deltas: extra.month });
    return {
      before,
      after: { ...after, updatedAt: now },
      events: [{ coordinatorId: id, kind, details }, ...(extra.events ?? [])],
      coverage,
      counters,
      audit: { action: `team.${action.kind}`, details: { stage: after.stage } },
    };
  };

  switch (action.kind) {
    case 'inspect': {
      if (before.stage !== 'candidate') throw outOfOrder('An inspection', before.stage);
      const b = action.body;
      return done({ ...before, inspection: b, stage: b.passed ? 'inspected' : 'rejected' }, 'inspected', { ...b });
    }
    case 'train': {
      if (before.stage !== 'inspected') throw outOfOrder('Training', before.stage);
      const b = action.body;
      return done({ ...before, training: b, stage: b.examPassed ? 'trained' : 'inspected' }, 'trained', { ...b });
    }
    case 'override': {
      if (ctx.role !== 'town_admin') throw new AppError('team.override_forbidden', 403, 'Only a town admin may waive a step.');
      const w = WAIVER[action.body.step];
      if (!w.from.includes(before.stage)) throw outOfOrder(`A waiver of "${action.body.step}"`, before.stage);
      const overrides = [...before.overrides, { step: action.body.step, reason: action.body.reason, by: ctx.actor, at: now }];
      return done({ ...before, overrides, stage: w.to }, 'override', { ...action.body });
    }
    case 'appoint': {
      if (before.stage !== 'trained') throw outOfOrder('An appointment', before.stage);
      const b = action.body;
      checkPosts(b.postIds, ctx.posts);
      const read = ctx.coverage[before.communityId];
      const cov = clone(read ?? emptyCoverage(before.communityId));
      cov.holders[id] = holderEntry(before, b.gridIds, b.postIds);
      return done(
        { ...before, appointment: b, stage: 'appointed' },
        'appointed',
        { ...b },
        {
          coverage: [{ ...(read ? { before: read } : {}), after: cov }],
          month: { team_appointments: 1 },
        },
      );
    }
    case 'transfer': {
      if (before.stage !== 'appointed' || !before.appointment) throw outOfOrder('A transfer', before.stage);
      const b = action.body;
      checkPosts(b.postIds, ctx.posts);
      const to = b.communityId ?? before.communityId;
      const fromRead = ctx.coverage[before.communityId];
      const from = clone(fromRead ?? emptyCoverage(before.communityId));
      const moving = to !== before.communityId;
      const dropped = removeHolder(from, id, moving ? [] : b.gridIds);
      const toRead = moving ? ctx.coverage[to] : undefined;
      const target = moving ? clone(toRead ?? emptyCoverage(to)) : from;
      target.holders[id] = holderEntry(before, b.gridIds, b.postIds);
      const coverage: TeamPlan['coverage'] = [{ ...(fromRead ? { before: fromRead } : {}), after: from }];
      if (moving) coverage.push({ ...(toRead ? { before: toRead } : {}), after: target });
      const { reason, ...rest } = b;
      return done(
        { ...before, communityId: to, appointment: { ...before.appointment, gridIds: [...b.gridIds], postIds: [...b.postIds] } },
        'transferred',
        {
          ...rest,
          reason,
          from: { communityId: before.communityId, gridIds: before.appointment.gridIds, postIds: before.appointment.postIds },
        },
        { coverage, events: dropped.map((d) => ({ coordinatorId: id, kind: 'no_longer_responsible', details: { gridId: d.gridId } })) },
      );
    }
    case 'leave':
    case 'dismiss': {
      if (action.kind === 'dismiss' && before.stage !== 'appointed') throw outOfOrder('A dismissal', before.stage);
      const kind = action.kind === 'leave' ? 'left' : 'dismissed';
      const b = action.body;
      const after: Coordinator = { ...before, stage: kind, exit: { kind, on: b.on, reason: b.reason } };
      if (before.stage !== 'appointed') return done(after, kind, { ...b });
      const read = ctx.coverage[before.communityId];
      const cov = clone(read ?? emptyCoverage(before.communityId));
      const dropped = removeHolder(cov, id, []);
      return done(
        after,
        kind,
        { ...b },
        {
          coverage: [{ ...(read ? { before: read } : {}), after: cov }],
          events: dropped.map((d) => ({ coordinatorId: id, kind: 'no_longer_responsible', details: { gridId: d.gridId } })),
        },
      );
    }
    default:
      throw outOfOrder('This step', before.stage);
  }
}

export type ResponsiblePlan = {
  after: CoverageState;
  before?: CoverageState;
  /** The grid's previous responsible coordinator, replaced. */
  replaced?: string;
  events: TeamEvent[];
  counters: CounterDelta[];
  audit: { action: string; details: Record<string, unknown> };
};

/**
 * Names a grid's one responsible coordinator (定人): an appointed coordinator of the grid's community
 * whose appointment includes the grid. The previous one is replaced; both histories record it.
 */
export function planResponsible(now: string, coordinator: Coordinator, gridId: string, read: CoverageState | undefined): ResponsiblePlan {
  if (coordinator.stage !== 'appointed' || !coordinator.appointment?.gridIds.includes(gridId))
    throw new AppError('team.not_assigned', 422, 'Only a coordinator appointed to this grid can answer for it.', {
      field: 'body.coordinatorId',
    });
  const after = clone(read ?? emptyCoverage(coordinator.communityId));
  const previous = after.responsible[gridId];
  if (previous?.coordinatorId === coordinator.coordinatorId)
    throw new AppError('team.already_responsible', 409, 'This coordinator already answers for the grid.');
  after.responsible[gridId] = { coordinatorId: coordinator.coordinatorId, name: coordinator.name, since: now };
  const events: TeamEvent[] = [
    {
      coordinatorId: coordinator.coordinatorId,
      kind: 'named_responsible',
      details: { gridId, ...(previous ? { replaces: previous.coordinatorId } : {}) },
    },
  ];
  if (previous)
    events.push({
      coordinatorId: previous.coordinatorId,
      kind: 'no_longer_responsible',
      details: { gridId, replacedBy: coordinator.coordinatorId },
    });
  const deltas = coverageDeltas([{ ...(read ? { before: read } : {}), after }]);
  return {
    after,
    ...(read ? { before: read } : {}),
    ...(previous ? { replaced: previous.coordinatorId } : {}),
    events,
    counters: Object.keys(deltas).length ? [{ scope: 'TOWN', deltas }] : [],
    audit: {
      action: 'team.responsible',
      details: { gridId, coordinatorId: coordinator.coordinatorId, replaced: previous?.coordinatorId ?? null },
    },
  };
}

/** The coverage matrix of one community from its coverage item and the grids and posts around it. */
export function coverageMatrix(
  communityId: string,
  state: CoverageState | undefined,
  grids: ReadonlyArray<{ gridId: string; name: string }>,
  posts: ReadonlyArray<{ id: string; label: { zh: string; en: string } }>,
) {
  const c = state ?? emptyCoverage(communityId);
  const held = new Set<string>();
  const rows = grids.map((g) => {
    const cells: Record<string, Array<{ coordinatorId: string; name: string }>> = {};
    for (const p of posts) {
      cells[p.id] = Object.entries(c.holders)
        .filter(([, h]) => h.gridIds.includes(g.gridId) && h.postIds.includes(p.id))
        .map(([coordinatorId, h]) => ({ coordinatorId, name: h.name }))
        .sort((a, b) => a.coordinatorId.localeCompare(b.coordinatorId));
      if (cells[p.id]?.length) held.add(p.id);
    }
    return { gridId: g.gridId, name: g.name, responsible: c.responsible[g.gridId] ?? null, cells };
  });
  return {
    communityId,
    posts: posts.map((p) => ({ id: p.id, label: p.label })),
    grids: rows,
    gridsWithoutResponsible: rows.filter((r) => !r.responsible).map((r) => r.gridId),
    postsUnheld: posts.filter((p) => !held.has(p.id)).map((p) => p.id),
  };
}

/**
 * Who still answers for a grid — the coordinators appointed to it and its responsible coordinator — or,
 * with no grid named, for anything in the community (everyone appointed there). Names, for the refusal.
 */
export function staffedBy(c: CoverageState | undefined, gridId?: string): string[] {
  if (!c) return [];
  const names = new Set<string>();
  for (const h of Object.values(c.holders)) if (gridId === undefined || h.gridIds.includes(gridId)) names.add(h.name);
  for (const [g, r] of Object.entries(c.responsible)) if (gridId === undefined || g === gridId) names.add(r.name);
  return [...names];
}

/**
 * A grid cannot be retired or moved to another community, nor a community retired, while a coordinator
 * is appointed there or answers for it: the team's coverage, the county's counts of grids without a
 * responsible coordinator and the coordinators' sign-in scope would all go on naming it. Transfer them
 * first (decision 80).
 */
export function refuseIfStaffed(kind: 'grid' | 'community', id: string, c: CoverageState | undefined): void {
  const names = staffedBy(c, kind === 'grid' ? id : undefined);
  if (names.length === 0) return;
  const who = names.join('、');
  if (kind === 'grid')
    throw new AppError(
      'grid.staffed',
      409,
      `Coordinators are still appointed to this grid (${who}): transfer them on the team page first.`,
    );
  throw new AppError(
    'community.staffed',
    409,
    `Coordinators are still appointed in this community (${who}): transfer them on the team page first.`,
  );
}
