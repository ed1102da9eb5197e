import { describe, expect, it } from 'vitest';
import type { CounterDelta } from '../book/rules';
import type { Principal } from '../principal';
import { ladderConfigSchema, matterActionSchema, matterIntakeSchema } from './api';
import { DEFAULT_LADDER, type LadderConfig, MATTER_ACTIONS, MATTER_LADDER, MAX_EXTENSIONS, actionsFrom } from './ladder';
import {
  allowedActions,
  canReadMatter,
  decideMatter,
  isMatterStatus,
  MATTER_REFUSALS,
  type Matter,
  type MatterContext,
  planIntake,
} from './rules';
import { accepted, at, intake, intakeCtx, NOW, outcome, P, raised } from './testing/town';

const LATER = '2026-12-06T09:30:00.000Z';

/** Applies an action that must be accepted; returns the matter after. */
const step = (m: Matter, input: (a: ReturnType<typeof at>) => Parameters<typeof decideMatter>[1], p: Principal, ctx: MatterContext = {}) =>
  accepted(decideMatter(m, input(at(m)), p, LATER, ctx)).after;

const sum = (cs: CounterDelta[], scope: string) => cs.find((c) => c.scope === scope)?.deltas ?? {};

/** A matter walked up to the level named, accepted there. */
function acceptedAt(level: 'grid' | 'community' | 'town', gridId = 'g1'): Matter {
  const staff = gridId === 'g3' ? P.staffC2 : P.staffC1;
  const coord = gridId === 'g3' ? P.coordG3 : P.coordG1;
  let m = step(raised(gridId), (a) => a.accept(), coord);
  if (level === 'grid') return m;
  m = step(
    step(m, (a) => a.escalate(), coord),
    (a) => a.accept(),
    staff,
  );
  if (level === 'community') return m;
  return step(
    step(m, (a) => a.escalate(), staff),
    (a) => a.accept(),
    P.admin,
  );
}

describe('the ladder as data', () => {
  it('names a start state, an actor and outcomes for every action', () => {
    for (const a of MATTER_ACTIONS) {
      expect(MATTER_LADDER[a].from.length).toBeGreaterThan(0);
      for (const s of MATTER_LADDER[a].from) expect(isMatterStatus(s)).toBe(true);
    }
    expect(actionsFrom('closed')).toEqual([]);
    expect(actionsFrom('merged')).toEqual([]);
    expect(actionsFrom('resolved')).toEqual(['return_visit', 'close_without_visit']);
  });

  it('accepts the default ladder and a town without the community level; refuses one without grid or town', () => {
    expect(ladderConfigSchema.safeParse(DEFAULT_LADDER).success).toBe(true);
    expect(ladderConfigSchema.safeParse({ levels: ['grid', 'town'], allowSkip: false, allowTransfer: true }).success).toBe(true);
    expect(ladderConfigSchema.safeParse({ levels: ['grid', 'community'], allowSkip: true, allowTransfer: true }).success).toBe(false);
    expect(ladderConfigSchema.safeParse({ levels: ['town', 'grid'], allowSkip: true, allowTransfer: true }).success).toBe(false);
    expect(ladderConfigSchema.safeParse({ levels: ['grid', 'grid', 'town'], allowSkip: true, allowTransfer: true }).success).toBe(false);
  });

  it('every refusal code is dotted and carries 403, 409 or 422', () => {
    for (const [code, r] of Object.entries(MATTER_REFUSALS)) {
      expect(code).toMatch(/^matter\.[a-z_]+$/);
      expect([403, 409, 422]).toContain(r.status);
    }
  });
});

describe('the action schemas follow the table', () => {
  const m = { version: 3 };
  const inputs: Record<(typeof MATTER_ACTIONS)[number], Record<string, unknown>> = {
    accept: at(m).accept(),
    resolve: at(m).resolve(),
    escalate: at(m).escalate(),
    skip: at(m).skip(),
    send_back: at(m).sendBack(),
    reassign: { ...at(m).reassign('qingshi.coord1b'), reason: '人员调整' },
    merge: at(m).merge('m2'),
    transfer: at(m).transfer(),
    request_extension: at(m).requestExtension(),
    approve_extension: { ...at(m).approveExtension(), reason: '同意延期' },
    reject_extension: at(m).rejectExtension(),
    return_visit: at(m).visit('satisfied', '很快就处理了'),
    close_without_visit: at(m).closeWithoutVisit(),
  };
  it.each(MATTER_ACTIONS)('%s asks a reason exactly when the ladder says', (a) => {
    const full = inputs[a];
    expect(matterActionSchema.safeParse(full).success).toBe(true);
    const { reason: _r, ...without } = full;
    expect(matterActionSchema.safeParse(without).success).toBe(MATTER_LADDER[a].reason !== 'required');
  });
});

describe('intake', () => {
  it('parses a form: a hotline order needs its reference, a reporter is a person or free text', () => {
    expect(matterIntakeSchema.safeParse(intake()).success).toBe(true);
    expect(matterIntakeSchema.safeParse(intake({ channel: 'hotline' })).success).toBe(false);
    expect(matterIntakeSchema.safeParse(intake({ channel: 'hotline', hotlineRef: '12345-20261205-0042' })).success).toBe(true);
    expect(matterIntakeSchema.safeParse(intake({ hotlineRef: '12345-1' })).success).toBe(false);
    expect(matterIntakeSchema.safeParse(intake({ reporter: { personId: 'P01' } })).success).toBe(true);
    expect(matterIntakeSchema.safeParse({ ...intake(), reporter: { personId: 'P01', name: 'x' } }).success).toBe(false);
    expect(matterIntakeSchema.safeParse(intake({ description: 'x'.repeat(2001) })).success).toBe(false);
    expect(matterIntakeSchema.safeParse(intake({ description: '   ' })).success).toBe(false);
    expect(matterIntakeSchema.safeParse(intake({ point: { lng: 121.5, lat: 31.2 } })).success).toBe(true);
    expect(matterIntakeSchema.safeParse(intake({ point: { lng: 200, lat: 31.2 } })).success).toBe(false);
    expect(matterIntakeSchema.safeParse(intake({ urgency: 'whenever' as never })).success).toBe(false);
  });

  it('opens the matter at the grid with its community, the phone sealed and masked, and the counters', () => {
    const d = accepted(planIntake(intake({ gridId: 'g2', categoryId: 'safety' }), P.staffC1, NOW, intakeCtx('g2')));
    expect(d.after).toMatchObject({
      status: 'open',
      level: 'grid',
      version: 1,
      gridId: 'g2',
      communityId: 'c1',
      levelSince: NOW,
      reporter: { name: '张大爷', phoneMasked: '138****8000' },
      reporterPhoneSealed: 'vault:k1:Zm9vYmFy',
      reopens: 0,
      duplicates: 0,
      extensions: [],
    });
    expect(JSON.stringify(d.after)).not.toContain('13800138000');
    expect(JSON.stringify(d.events)).not.toContain('138');
    expect(d.events.map((e) => e.kind)).toEqual(['raised']);
    expect(sum(d.counters, 'MONTH#2026-12')).toEqual({
      matters_raised: 1,
      matters_raised_grid: 1,
      matters_raised_cat_safety: 1,
      matters_raised_via_visit: 1,
    });
    expect(sum(d.counters, 'TOWN')).toEqual({ matters_active: 1 });
    expect(sum(d.counters, 'GRID#g2')).toEqual({ matters_active: 1 });
  });

  it('keeps a person of the book as the reporter, with no phone of its own', () => {
    const d = accepted(planIntake(intake({ reporter: { personId: 'P01' } }), P.coordG1, NOW, intakeCtx('g1')));
    expect(d.after.reporter).toEqual({ personId: 'P01' });
    expect(d.after.reporterPhoneSealed).toBeUndefined();
  });

  it('refuses who may not raise here, an unknown grid and a category outside the catalogue', () => {
    const raise = (p: Principal, gridId = 'g1', more = {}) =>
      outcome(planIntake(intake({ gridId }), p, NOW, intakeCtx(gridId, 'm1', more)));
    expect(raise(P.coordG1)).toBe('ok');
    expect(raise(P.coordG3)).toBe('403 matter.out_of_scope');
    expect(raise(P.staffC2)).toBe('403 matter.out_of_scope');
    expect(raise(P.coordNoScope)).toBe('403 matter.out_of_scope');
    expect(raise(P.admin, 'g3')).toBe('ok');
    expect(raise(P.auditor)).toBe('403 matter.read_only');
    expect(raise(P.mediator)).toBe('403 matter.read_only');
    expect(raise(P.county)).toBe('403 matter.not_of_town');
    expect(raise(P.admin, 'g9')).toBe('422 matter.unknown_grid');
    expect(raise(P.admin, 'g1', { categories: ['safety'] })).toBe('422 matter.unknown_category');
  });
});

describe('the action schemas', () => {
  it('asks reasons of 2–500 characters where the ladder needs them', () => {
    const ok = (v: unknown) => matterActionSchema.safeParse(v).success;
    expect(ok({ action: 'accept', version: 1 })).toBe(true);
    expect(ok({ action: 'accept' })).toBe(false);
    expect(ok({ action: 'accept', version: 0 })).toBe(false);
    expect(ok({ action: 'escalate', version: 1 })).toBe(false);
    expect(ok({ action: 'escalate', version: 1, reason: '无' })).toBe(false);
    expect(ok({ action: 'escalate', version: 1, reason: '无力' })).toBe(true);
    expect(ok({ action: 'escalate', version: 1, reason: '无'.repeat(501) })).toBe(false);
    expect(ok({ action: 'skip', version: 1, to: 'town', reason: '紧急' })).toBe(true);
    expect(ok({ action: 'skip', version: 1, to: 'county', reason: '紧急' })).toBe(false);
    expect(ok({ action: 'send_back', version: 1, reason: '退回' })).toBe(true);
    expect(ok({ action: 'merge', version: 1, targetId: 'm2' })).toBe(false);
    expect(ok({ action: 'request_extension', version: 1, until: '2026-13-01', reason: '等待' })).toBe(false);
    expect(ok({ action: 'reject_extension', version: 1 })).toBe(false);
    expect(ok({ action: 'approve_extension', version: 1 })).toBe(true);
    expect(ok({ action: 'return_visit', version: 1, reachedBy: 'phone', satisfaction: 'satisfied' })).toBe(true);
    expect(ok({ action: 'return_visit', version: 1, reachedBy: 'phone', satisfaction: 'dissatisfied' })).toBe(false);
    expect(ok({ action: 'return_visit', version: 1, reachedBy: 'phone', satisfaction: 'dissatisfied', reason: '没修好' })).toBe(true);
    expect(ok({ action: 'close_without_visit', version: 1, reason: '联系不上' })).toBe(true);
    expect(ok({ action: 'teleport', version: 1 })).toBe(false);
    expect(ok({ action: 'accept', version: 1, extra: true })).toBe(false);
  });
});

describe('up the ladder', () => {
  it('goes grid → community → town → county department → resolved → return visit → closed', () => {
    let m = raised();
    expect(allowedActions(m, P.coordG1)).toEqual(['accept', 'reassign', 'merge', 'request_extension']);
    const acc = accepted(decideMatter(m, at(m).accept(), P.coordG1, LATER));
    expect(acc.after).toMatchObject({ status: 'accepted', acceptedAt: LATER, assignee: 'qingshi.coord1', version: 2 });
    expect(sum(acc.counters, 'MONTH#2026-12')).toEqual({
      matters_accepted: 1,
      matters_accepted_grid: 1,
      matters_accepted_cat_sanitation: 1,
    });
    m = acc.after;

    const esc = accepted(decideMatter(m, at(m).escalate(), P.coordG1, LATER));
    expect(esc.after).toMatchObject({ status: 'open', level: 'community', levelSince: LATER, version: 3 });
    expect(esc.after.assignee).toBeUndefined();
    expect(esc.after.acceptedAt).toBeUndefined();
    expect(esc.events[0]).toMatchObject({ kind: 'escalated', level: 'grid', status: 'open', details: { from: 'grid', to: 'community' } });
    expect(sum(esc.counters, 'MONTH#2026-12')).toMatchObject({ matters_escalated: 1, matters_escalated_grid: 1 });
    m = esc.after;
    expect(allowedActions(m, P.coordG1)).toEqual([]);

    m = step(m, (a) => a.accept(), P.staffC1);
    m = step(m, (a) => a.escalate(), P.staffC1);
    expect(m).toMatchObject({ status: 'open', level: 'town' });
    expect(outcome(decideMatter(m, at(m).escalate(), P.admin, LATER))).toBe('409 matter.wrong_status');
    m = step(m, (a) => a.accept(), P.admin);
    expect(allowedActions(m, P.admin)).toEqual(['resolve', 'send_back', 'reassign', 'merge', 'transfer']);

    const tr = accepted(decideMatter(m, at(m).transfer(), P.admin, LATER));
    expect(tr.after).toMatchObject({ status: 'transferred', level: 'town', transfer: { department: '县住建局', by: 'qingshi.admin' } });
    expect(sum(tr.counters, 'MONTH#2026-12')).toEqual({ matters_transferred: 1 });
    m = tr.after;
    expect(allowedActions(m, P.admin)).toEqual(['resolve', 'reassign']);

    const res = accepted(decideMatter(m, at(m).resolve('县住建局已完成整改'), P.admin, LATER));
    expect(res.after).toMatchObject({ status: 'resolved', level: 'town', resolution: { text: '县住建局已完成整改' } });
    expect(sum(res.counters, 'MONTH#2026-12')).toEqual({
      matters_resolved: 1,
      matters_resolved_town: 1,
      matters_resolved_cat_sanitation: 1,
    });
    m = res.after;

    const visit = accepted(decideMatter(m, at(m).visit('basically_satisfied'), P.admin, LATER));
    expect(visit.after).toMatchObject({
      status: 'closed',
      closure: { how: 'visit', satisfaction: 'basically_satisfied', reachedBy: 'phone', by: 'qingshi.admin' },
      version: m.version + 1,
    });
    expect(visit.events.map((e) => e.kind)).toEqual(['return_visit', 'closed']);
    expect(sum(visit.counters, 'MONTH#2026-12')).toEqual({
      matters_visit_basically_satisfied: 1,
      matters_closed: 1,
      matters_closed_town: 1,
      matters_closed_cat_sanitation: 1,
    });
    expect(sum(visit.counters, 'TOWN')).toEqual({ matters_active: -1 });
    expect(sum(visit.counters, 'GRID#g1')).toEqual({ matters_active: -1 });
    for (const p of Object.values(P)) expect(allowedActions(visit.after, p)).toEqual([]);
    expect(outcome(decideMatter(visit.after, at(visit.after).accept(), P.admin, LATER))).toBe('409 matter.wrong_status');
  });

  it('counts a month in China time', () => {
    const m = raised();
    const d = accepted(decideMatter(m, at(m).accept(), P.coordG1, '2026-11-30T17:00:00.000Z'));
    expect(d.counters[0]?.scope).toBe('MONTH#2026-12');
  });

  it('resolves at the grid and closes without a visit when the resident cannot be reached, with a reason', () => {
    const m = step(acceptedAt('grid'), (a) => a.resolve(), P.coordG1);
    expect(allowedActions(m, P.coordG1)).toEqual(['return_visit', 'close_without_visit']);
    const d = accepted(decideMatter(m, at(m).closeWithoutVisit(), P.coordG1, LATER));
    expect(d.after).toMatchObject({ status: 'closed', closure: { how: 'no_visit', reason: '匿名反映，无法回访' } });
    expect(sum(d.counters, 'MONTH#2026-12')).toMatchObject({ matters_closed: 1, matters_closed_grid: 1, matters_closed_no_visit: 1 });
  });

  it('refuses to resolve what nobody accepted, and escalation before acceptance', () => {
    const m = raised();
    expect(outcome(decideMatter(m, at(m).resolve(), P.coordG1, LATER))).toBe('409 matter.wrong_status');
    expect(outcome(decideMatter(m, at(m).escalate(), P.coordG1, LATER))).toBe('409 matter.wrong_status');
  });

  it('transfers only at the town, and only when the town allows it', () => {
    const g = acceptedAt('grid');
    expect(outcome(decideMatter(g, at(g).transfer(), P.coordG1, LATER))).toBe('422 matter.not_at_this_level');
    const t = acceptedAt('town');
    const noTransfer: LadderConfig = { ...DEFAULT_LADDER, allowTransfer: false };
    expect(outcome(decideMatter(t, at(t).transfer(), P.admin, LATER, { ladder: noTransfer }))).toBe('422 matter.transfer_disabled');
    expect(allowedActions(t, P.admin, noTransfer)).not.toContain('transfer');
  });
});

describe('skipping a level', () => {
  it('goes from the grid straight to the town with a reason, counted as an escalation and a skip', () => {
    const m = acceptedAt('grid');
    expect(allowedActions(m, P.coordG1)).toContain('skip');
    const d = accepted(decideMatter(m, at(m).skip('town'), P.coordG1, LATER));
    expect(d.after).toMatchObject({ status: 'open', level: 'town' });
    expect(d.events[0]).toMatchObject({ kind: 'skipped', details: { from: 'grid', to: 'town', reason: '涉及多个社区，需镇中心统筹' } });
    expect(d.audit).toMatchObject({ action: 'matter.skip', details: { reason: '涉及多个社区，需镇中心统筹' } });
    expect(sum(d.counters, 'MONTH#2026-12')).toMatchObject({ matters_escalated_grid: 1, matters_skipped: 1 });
  });

  it('refuses a skip to the next level, downwards, when the town forbids it, and where there is nothing to skip', () => {
    const m = acceptedAt('grid');
    expect(outcome(decideMatter(m, at(m).skip('community'), P.coordG1, LATER))).toBe('422 matter.skip_target');
    expect(outcome(decideMatter(m, at(m).skip('grid'), P.coordG1, LATER))).toBe('422 matter.skip_target');
    const noSkip = { ...DEFAULT_LADDER, allowSkip: false };
    expect(outcome(decideMatter(m, at(m).skip('town'), P.coordG1, LATER, { ladder: noSkip }))).toBe('422 matter.skip_disabled');
    expect(allowedActions(m, P.coordG1, noSkip)).not.toContain('skip');
    const c = acceptedAt('community');
    expect(outcome(decideMatter(c, at(c).skip('town'), P.staffC1, LATER))).toBe('422 matter.skip_target');
    expect(allowedActions(c, P.staffC1)).not.toContain('skip');
  });

  it('in a town without the community level, escalates from the grid to the town and has nothing to skip', () => {
    const twoLevels: LadderConfig = { levels: ['grid', 'town'], allowSkip: true, allowTransfer: true };
    const m = acceptedAt('grid');
    expect(allowedActions(m, P.coordG1, twoLevels)).not.toContain('skip');
    const up = accepted(decideMatter(m, at(m).escalate(), P.coordG1, LATER, { ladder: twoLevels })).after;
    expect(up.level).toBe('town');
    const back = accepted(decideMatter(up, at(up).sendBack(), P.admin, LATER, { ladder: twoLevels })).after;
    expect(back.level).toBe('grid');
  });
});

describe('sending back down', () => {
  it('sends a matter back one level with a reason, open there again, even before accepting it', () => {
    const m = step(acceptedAt('grid'), (a) => a.escalate(), P.coordG1);
    const d = accepted(decideMatter(m, at(m).sendBack(), P.staffC1, LATER));
    expect(d.after).toMatchObject({ status: 'open', level: 'grid' });
    expect(d.events[0]).toMatchObject({ kind: 'sent_back', details: { from: 'community', to: 'grid', reason: '属网格可处置事项' } });
    expect(sum(d.counters, 'MONTH#2026-12')).toEqual({ matters_sent_back: 1, matters_sent_back_community: 1 });
  });

  it('lets the town send straight to the grid, never up nor below the grid', () => {
    const t = acceptedAt('town');
    expect(accepted(decideMatter(t, at(t).sendBack('grid'), P.admin, LATER)).after.level).toBe('grid');
    expect(outcome(decideMatter(t, at(t).sendBack('town'), P.admin, LATER))).toBe('422 matter.send_back_target');
    const c = acceptedAt('community');
    expect(outcome(decideMatter(c, at(c).sendBack('town'), P.staffC1, LATER))).toBe('422 matter.send_back_target');
    const g = acceptedAt('grid');
    expect(outcome(decideMatter(g, at(g).sendBack(), P.coordG1, LATER))).toBe('422 matter.no_level_below');
    expect(allowedActions(g, P.coordG1)).not.toContain('send_back');
  });
});

describe('who acts', () => {
  it('is the level’s role for the matter’s place, nobody else', () => {
    const g = raised('g1');
    expect(outcome(decideMatter(g, at(g).accept(), P.coordG1b, LATER))).toBe('ok');
    expect(outcome(decideMatter(g, at(g).accept(), P.coordG3, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(g, at(g).accept(), P.coordNoScope, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(g, at(g).accept(), P.staffC1, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(g, at(g).accept(), P.admin, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(g, at(g).accept(), P.auditor, LATER))).toBe('403 matter.read_only');
    expect(outcome(decideMatter(g, at(g).accept(), P.mediator, LATER))).toBe('403 matter.read_only');
    expect(outcome(decideMatter(g, at(g).accept(), P.otherCoord, LATER))).toBe('403 matter.not_of_town');
    expect(outcome(decideMatter(g, at(g).accept(), P.otherAdmin, LATER))).toBe('403 matter.not_of_town');
    expect(outcome(decideMatter(g, at(g).accept(), P.county, LATER))).toBe('403 matter.not_of_town');
    for (const p of [P.coordG3, P.staffC1, P.admin, P.auditor, P.mediator, P.otherCoord, P.county])
      expect(allowedActions(g, p)).toEqual([]);

    const c = step(acceptedAt('grid', 'g3'), (a) => a.escalate(), P.coordG3);
    expect(outcome(decideMatter(c, at(c).accept(), P.staffC1, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(c, at(c).accept(), P.coordG3, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(c, at(c).accept(), P.staffC2, LATER))).toBe('ok');
  });

  it('lets one of two users acting at once win; the other gets 409 with the version stale', () => {
    const m = raised();
    const first = decideMatter(m, at(m).accept(), P.coordG1, LATER);
    const second = decideMatter(m, at(m).accept(), P.coordG1b, LATER);
    expect(outcome(first)).toBe('ok');
    // The store holds the write to the version read: the second lands on the first's matter.
    const after = accepted(first).after;
    expect(outcome(decideMatter(after, { action: 'accept', version: m.version }, P.coordG1b, LATER))).toBe('409 matter.version_conflict');
    expect(outcome(second)).toBe('ok');
    const refused = decideMatter(after, { action: 'escalate', version: m.version, reason: '超出能力' }, P.coordG1, LATER);
    expect(refused).toEqual({
      ok: false,
      refusal: expect.objectContaining({ code: 'matter.version_conflict', status: 409, field: 'version' }),
    });
  });
});

describe('reassigning within the level', () => {
  const ctx = (p: typeof P.coordG1): MatterContext => ({ assignee: p });
  it('hands the matter to another handler of the level for the place', () => {
    const m = acceptedAt('grid');
    const d = accepted(decideMatter(m, at(m).reassign('qingshi.coord1b'), P.coordG1, LATER, ctx(P.coordG1b)));
    expect(d.after).toMatchObject({ assignee: 'qingshi.coord1b', status: 'accepted', version: m.version + 1 });
    expect(d.events[0]).toMatchObject({ kind: 'reassigned', details: { from: 'qingshi.coord1', to: 'qingshi.coord1b' } });
    expect(d.counters).toEqual([]);
  });

  it('refuses an unknown account, the same assignee, and someone who does not handle the level here', () => {
    const m = acceptedAt('grid');
    expect(outcome(decideMatter(m, at(m).reassign('qingshi.coord1b'), P.coordG1, LATER))).toBe('422 matter.assignee_unknown');
    expect(outcome(decideMatter(m, at(m).reassign('qingshi.coord1b'), P.coordG1, LATER, ctx(P.coordG3)))).toBe(
      '422 matter.assignee_unknown',
    );
    expect(outcome(decideMatter(m, at(m).reassign('yuxi.coord1'), P.coordG1, LATER, ctx(P.otherCoord)))).toBe(
      '422 matter.assignee_unknown',
    );
    expect(outcome(decideMatter(m, at(m).reassign('qingshi.coord1'), P.coordG1, LATER, ctx(P.coordG1)))).toBe('422 matter.assignee_same');
    expect(outcome(decideMatter(m, at(m).reassign('qingshi.coord3'), P.coordG1, LATER, ctx(P.coordG3)))).toBe(
      '422 matter.assignee_out_of_scope',
    );
    expect(outcome(decideMatter(m, at(m).reassign('qingshi.station1'), P.coordG1, LATER, ctx(P.staffC1)))).toBe(
      '422 matter.assignee_out_of_scope',
    );
  });
});

describe('merging a duplicate', () => {
  it('marks the duplicate merged into the target, bumps the target and counts one active matter less', () => {
    const dup = acceptedAt('grid');
    const target = raised('g2', 'm2');
    const d = accepted(decideMatter(dup, at(dup).merge('m2'), P.coordG1b, LATER, { target }));
    expect(d.after).toMatchObject({ status: 'merged', mergedInto: 'm2', version: dup.version + 1 });
    expect(d.target?.after).toMatchObject({ matterId: 'm2', duplicates: 1, version: target.version + 1, status: 'open' });
    expect(d.target?.events[0]).toMatchObject({ kind: 'duplicate_merged', details: { duplicateId: 'm1' } });
    expect(sum(d.counters, 'TOWN')).toEqual({ matters_active: -1 });
    expect(sum(d.counters, 'MONTH#2026-12')).toEqual({ matters_merged: 1 });
    for (const p of Object.values(P)) expect(allowedActions(d.after, p)).toEqual([]);
  });

  it('refuses itself, a target not read or of another town, a final target and one out of the actor’s reach', () => {
    const dup = acceptedAt('grid');
    const target = raised('g2', 'm2');
    expect(outcome(decideMatter(dup, at(dup).merge('m1'), P.coordG1, LATER, { target: dup }))).toBe('422 matter.merge_self');
    expect(outcome(decideMatter(dup, at(dup).merge('m2'), P.coordG1, LATER))).toBe('422 matter.merge_target_missing');
    expect(outcome(decideMatter(dup, at(dup).merge('m3'), P.coordG1, LATER, { target }))).toBe('422 matter.merge_target_missing');
    expect(outcome(decideMatter(dup, at(dup).merge('m2'), P.coordG1, LATER, { target: { ...target, townId: 'yuxi' } }))).toBe(
      '422 matter.merge_target_missing',
    );
    const closed = step(
      step(
        step(target, (a) => a.accept(), P.coordG1b),
        (a) => a.resolve(),
        P.coordG1b,
      ),
      (a) => a.visit('satisfied'),
      P.coordG1b,
    );
    expect(outcome(decideMatter(dup, at(dup).merge('m2'), P.coordG1b, LATER, { target: closed }))).toBe('409 matter.merge_target_closed');
    expect(outcome(decideMatter(dup, at(dup).merge('m2'), P.coordG1, LATER, { target }))).toBe('403 matter.merge_target_out_of_scope');
    // The town reaches every grid.
    const t = acceptedAt('town');
    expect(outcome(decideMatter(t, at(t).merge('m2'), P.admin, LATER, { target: raised('g3', 'm2') }))).toBe('ok');
  });
});

describe('extensions', () => {
  it('are asked at the level and decided by the level above; one at a time', () => {
    let m = acceptedAt('grid');
    const req = accepted(decideMatter(m, at(m).requestExtension(), P.coordG1, LATER));
    expect(req.after.extensions).toEqual([
      {
        level: 'grid',
        until: '2026-12-20',
        reason: '需等待施工队',
        requestedBy: 'qingshi.coord1',
        requestedAt: LATER,
        status: 'requested',
      },
    ]);
    expect(req.after.status).toBe('accepted');
    m = req.after;
    expect(outcome(decideMatter(m, at(m).requestExtension(), P.coordG1, LATER))).toBe('409 matter.extension_pending');
    expect(allowedActions(m, P.coordG1)).not.toContain('approve_extension');
    expect(allowedActions(m, P.staffC1)).toEqual(['approve_extension', 'reject_extension']);
    expect(outcome(decideMatter(m, at(m).approveExtension(), P.coordG1, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(m, at(m).approveExtension(), P.staffC2, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(m, at(m).approveExtension(), P.admin, LATER))).toBe('403 matter.out_of_scope');
    const ok = accepted(decideMatter(m, at(m).approveExtension(), P.staffC1, LATER));
    expect(ok.after.extensions[0]).toMatchObject({ status: 'approved', decidedBy: 'qingshi.station1', decidedAt: LATER });
    expect(ok.events[0]).toMatchObject({ kind: 'extension_approved', details: { until: '2026-12-20', actingLevel: 'community' } });
    expect(sum(ok.counters, 'MONTH#2026-12')).toEqual({ matters_extension_approved: 1 });
    m = ok.after;
    expect(outcome(decideMatter(m, at(m).rejectExtension(), P.staffC1, LATER))).toBe('409 matter.no_extension_pending');
    m = step(m, (a) => a.requestExtension('2026-12-30'), P.coordG1);
    const no = accepted(decideMatter(m, at(m).rejectExtension(), P.staffC1, LATER));
    expect(no.after.extensions[1]).toMatchObject({ status: 'rejected', decisionReason: '理由不充分' });
  });

  it('in a town without the community level, the town decides the grid’s; the town asks nobody', () => {
    const twoLevels: LadderConfig = { levels: ['grid', 'town'], allowSkip: false, allowTransfer: true };
    const m = step(acceptedAt('grid'), (a) => a.requestExtension(), P.coordG1);
    expect(allowedActions(m, P.staffC1, twoLevels)).toEqual([]);
    expect(allowedActions(m, P.admin, twoLevels)).toEqual(['approve_extension', 'reject_extension']);
    const t = acceptedAt('town');
    expect(outcome(decideMatter(t, at(t).requestExtension(), P.admin, LATER))).toBe('422 matter.no_level_above');
  });

  it('lapse when the matter leaves the level undecided', () => {
    const m = step(
      step(acceptedAt('grid'), (a) => a.requestExtension(), P.coordG1),
      (a) => a.escalate(),
      P.coordG1,
    );
    expect(m.extensions.map((e) => e.status)).toEqual(['lapsed']);
    expect(allowedActions(m, P.admin)).toEqual([]);
    expect(outcome(decideMatter(m, at(m).requestExtension(), P.staffC1, LATER))).toBe('ok');
  });

  it(`stop at ${MAX_EXTENSIONS} per matter`, () => {
    let m = acceptedAt('grid');
    for (let i = 0; i < MAX_EXTENSIONS; i++)
      m = step(
        step(m, (a) => a.requestExtension(), P.coordG1),
        (a) => a.rejectExtension(),
        P.staffC1,
      );
    expect(outcome(decideMatter(m, at(m).requestExtension(), P.coordG1, LATER))).toBe('422 matter.too_many_extensions');
  });
});

describe('return visits', () => {
  it('reopen a dissatisfied matter at the level that resolved it', () => {
    const m = step(acceptedAt('community'), (a) => a.resolve(), P.staffC1);
    const d = accepted(decideMatter(m, at(m).visit('dissatisfied', '垃圾又堆起来了'), P.staffC1, LATER));
    expect(d.after).toMatchObject({ status: 'open', level: 'community', reopens: 1, levelSince: LATER });
    expect(d.after.resolution).toBeUndefined();
    expect(d.after.assignee).toBeUndefined();
    expect(d.events.map((e) => e.kind)).toEqual(['return_visit', 'reopened']);
    expect(sum(d.counters, 'MONTH#2026-12')).toEqual({
      matters_visit_dissatisfied: 1,
      matters_reopened: 1,
      matters_reopened_community: 1,
      matters_reopened_cat_sanitation: 1,
    });
    expect(sum(d.counters, 'TOWN')).toEqual({});
    expect(allowedActions(d.after, P.staffC1)).toContain('accept');
  });

  it('are made by the resolving level or one above it, and need a reason when dissatisfied', () => {
    const m = step(acceptedAt('community'), (a) => a.resolve(), P.staffC1);
    expect(outcome(decideMatter(m, at(m).visit('satisfied'), P.admin, LATER))).toBe('ok');
    expect(outcome(decideMatter(m, at(m).visit('satisfied'), P.staffC1b, LATER))).toBe('ok');
    expect(outcome(decideMatter(m, at(m).visit('satisfied'), P.coordG1, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(m, at(m).visit('satisfied'), P.staffC2, LATER))).toBe('403 matter.out_of_scope');
    expect(outcome(decideMatter(m, at(m).visit('dissatisfied'), P.staffC1, LATER))).toBe('422 matter.reason_required');
    expect(outcome(decideMatter(m, at(m).closeWithoutVisit(), P.auditor, LATER))).toBe('403 matter.read_only');
  });

  it('a matter is closed only by a return visit or a reason for none', () => {
    const m = acceptedAt('grid');
    for (const p of Object.values(P))
      for (const a of allowedActions(m, p))
        expect(MATTER_LADDER[a].to === 'unchanged' || !MATTER_LADDER[a].to.includes('closed')).toBe(true);
  });
});

describe('reading', () => {
  it('follows the role and scope', () => {
    const m = raised('g1');
    expect(canReadMatter(P.admin, m)).toBe(true);
    expect(canReadMatter(P.auditor, m)).toBe(true);
    expect(canReadMatter({ ...P.auditor, scope: { communities: ['c2'], grids: [] } }, m)).toBe(false);
    expect(canReadMatter(P.staffC1, m)).toBe(true);
    expect(canReadMatter(P.staffC2, m)).toBe(false);
    expect(canReadMatter(P.coordG1, m)).toBe(true);
    expect(canReadMatter(P.coordG3, m)).toBe(false);
    expect(canReadMatter(P.mediator, m)).toBe(false);
    expect(canReadMatter(P.otherAdmin, m)).toBe(false);
    expect(canReadMatter(P.county, m)).toBe(false);
  });
});
