import { describe, expect, it } from 'vitest';
import type { CounterDelta } from '../book/rules';
import type { Principal } from '../principal';
import type { MediationRefusalCode } from './ladder';
import {
  caseFlags,
  followUpSchedule,
  type MediationCase,
  type MediationDecision,
  type MediationPlan,
  mayActOnCase,
  maySeeCase,
  planEscalate,
  planFollowUp,
  planMediationIntake,
  planInvite,
  planNote,
  planOutcome,
  planSession,
  successRate,
} from './rules';
import { COMMUNITY_OF, intake, invitation, later, NOW, P, POSTS, taken } from './testing/town';

const ctx = { posts: POSTS };
const ok = (d: MediationDecision): MediationPlan => {
  if (!d.ok) throw new Error(`refused: ${d.error.code}`);
  return d;
};
const refused = (d: MediationDecision, code: MediationRefusalCode) => {
  expect(d.ok).toBe(false);
  if (!d.ok) expect(d.error.code).toBe(code);
};
const deltas = (cs: CounterDelta[]) => {
  expect(cs.every((c) => c.scope.startsWith('MONTH#'))).toBe(true);
  return Object.assign({}, ...cs.map((c) => c.deltas)) as Record<string, number>;
};
const session = (version: number) => ({ version, on: '2026-12-05', place: '院落议事亭', attendees: ['张三', '李四'], notes: '双方陈述' });
const agreement = (version: number, signedOn = '2026-12-05') => ({
  version,
  agreement: { facts: '楼上漏水', terms: ['楼上负责维修', '楼下不再追究'], signedOn },
});
const agreed = (c: MediationCase = taken()) => ok(planOutcome(c, agreement(c.version), P.medG1, NOW, ctx)).after;
const intakeAs = (p: Principal, more: Parameters<typeof intake>[0] = {}, posts = POSTS) =>
  planMediationIntake(intake(more), p, NOW, { communityId: COMMUNITY_OF[intake(more).gridId], posts });

describe('planMediationIntake', () => {
  it('takes a case in at the courtyard, with its mediators, and counts it received', () => {
    const d = ok(intakeAs(P.coordG1, { risk: { level: 'high', reason: '曾有肢体冲突' } }));
    expect(d.after).toMatchObject({
      caseId: 'case-1',
      townId: 'qingshi',
      version: 1,
      status: 'open',
      level: 'courtyard',
      intakeLevel: 'courtyard',
      communityId: 'c1',
      mediators: [P.medG1.username],
      joint: false,
      reopens: 0,
      takenBy: P.coordG1.username,
    });
    expect(d.after.parties).toEqual([
      { gridId: 'g1', householdId: 'h1', personId: 'p1' },
      { name: '李四', hasIdNumber: true, hasPhone: false },
    ]);
    expect(d.after.partyKeys).toEqual([null, null]);
    expect(d.events.map((e) => e.kind)).toEqual(['taken_in']);
    expect(deltas(d.counters)).toEqual({
      mediation_received: 1,
      mediation_received_courtyard: 1,
      mediation_received_type_neighbour: 1,
      mediation_found_by_visit: 1,
      mediation_high_risk: 1,
    });
  });

  it('diverts to a higher level with a reason', () => {
    const d = ok(intakeAs(P.staffC1, { level: 'town', diversionReason: '涉及土地确权' }));
    expect(d.after).toMatchObject({ level: 'town', intakeLevel: 'town', diversionReason: '涉及土地确权', mediators: [P.medTown.username] });
    expect(deltas(d.counters)).toMatchObject({ mediation_received_town: 1, mediation_diverted: 1 });
  });

  it('keeps the parties’ ID hashes aligned with the parties', () => {
    const d = ok(planMediationIntake(intake(), P.admin, NOW, { communityId: 'c1', posts: POSTS, partyKeys: ['k1'] }));
    expect(d.after.partyKeys).toEqual(['k1', null]);
  });

  it('lets a post holder take in at their place', () => {
    ok(intakeAs(P.medTown, { gridId: 'g3', level: 'town', diversionReason: '重大' }));
  });

  it('refuses', () => {
    refused(intakeAs(P.county), 'mediation.not_of_town');
    refused(intakeAs(P.auditor), 'mediation.read_only');
    refused(
      planMediationIntake(intake({ gridId: 'g9' }), P.admin, NOW, { communityId: undefined, posts: POSTS }),
      'mediation.unknown_grid',
    );
    refused(intakeAs(P.coordG3), 'mediation.out_of_scope');
    refused(intakeAs(P.staffC2), 'mediation.out_of_scope');
    refused(planMediationIntake(intake(), P.admin, NOW, { communityId: 'c1', posts: POSTS, types: ['family'] }), 'mediation.unknown_type');
    refused(intakeAs(P.admin, { level: 'community' }), 'mediation.reason_required');
    refused(intakeAs(P.coordG3, { gridId: 'g3' }), 'mediation.no_mediator');
    refused(intakeAs(P.admin, {}, []), 'mediation.no_mediator');
  });
});

describe('planEscalate', () => {
  it('climbs one level to its mediators and counts it', () => {
    const c = taken();
    const d = ok(planEscalate(c, { version: 1, reason: '院落调解未果' }, P.medG1, NOW, ctx));
    expect(d.after).toMatchObject({ level: 'community', version: 2, status: 'open', mediators: [P.medC1.username, P.staffC1.username] });
    expect(d.events[0]).toMatchObject({ kind: 'escalated', level: 'courtyard', details: { from: 'courtyard', to: 'community' } });
    expect(deltas(d.counters)).toEqual({ mediation_escalated: 1, mediation_escalated_courtyard: 1 });
    const up = ok(planEscalate(d.after, { version: 2, reason: '社区调解未果' }, P.staffC1, NOW, ctx));
    expect(up.after.level).toBe('town');
    refused(planEscalate(up.after, { version: 3, reason: '再上' }, P.medTown, NOW, ctx), 'mediation.top_level');
  });

  it('refuses', () => {
    const c = taken();
    refused(planEscalate(c, { version: 1, reason: '上' }, P.otherAdmin, NOW, ctx), 'mediation.not_of_town');
    refused(planEscalate(c, { version: 1, reason: '上' }, P.auditor, NOW, ctx), 'mediation.read_only');
    refused(planEscalate(c, { version: 1, reason: '上' }, P.coordG3, NOW, ctx), 'mediation.out_of_scope');
    refused(
      planEscalate(c, { version: 1, reason: '上' }, P.judge, NOW, { ...ctx, invitations: [invitation()] }),
      'mediation.participant_only',
    );
    refused(planEscalate(c, { version: 1, reason: '上' }, P.medG1, NOW, { posts: POSTS.slice(0, 1) }), 'mediation.no_mediator');
    const stale = planEscalate(c, { version: 7, reason: '上' }, P.medG1, NOW, ctx);
    refused(stale, 'mediation.version_conflict');
    if (!stale.ok) expect(stale.error.current).toBe(c);
    refused(planEscalate(agreed(c), { version: 2, reason: '上' }, P.medG1, NOW, ctx), 'mediation.wrong_status');
    const failed = ok(planOutcome(c, { version: 1, failure: { referral: 'litigation', reason: '拒绝调解' } }, P.medG1, NOW, ctx)).after;
    refused(planEscalate(failed, { version: 2, reason: '上' }, P.admin, NOW, ctx), 'mediation.closed');
  });

  it('lets the coordinator act at the courtyard only, community staff below the town', () => {
    const c = taken();
    expect(mayActOnCase(P.coordG1, c, 'escalate', NOW, [], POSTS)).toBe(true);
    const up = ok(planEscalate(c, { version: 1, reason: '上' }, P.coordG1, NOW, ctx)).after;
    expect(mayActOnCase(P.coordG1, up, 'escalate', NOW, [], POSTS)).toBe(false);
    expect(mayActOnCase(P.staffC1, up, 'escalate', NOW, [], [])).toBe(true);
    const top = ok(planEscalate(up, { version: 2, reason: '上' }, P.staffC1, NOW, ctx)).after;
    expect(mayActOnCase(P.staffC1, top, 'session', NOW, [], [])).toBe(false);
    expect(mayActOnCase(P.medTown, top, 'session', NOW, [], POSTS)).toBe(true);
    expect(mayActOnCase(P.admin, top, 'session', NOW, [], [])).toBe(true);
  });
});

describe('planSession and planNote', () => {
  it('records sessions; the first counts the case mediated', () => {
    const c = taken();
    const one = ok(planSession(c, session(1), P.medG1, NOW, ctx));
    expect(one.after.sessions).toEqual([
      {
        on: '2026-12-05',
        place: '院落议事亭',
        attendees: ['张三', '李四'],
        notes: '双方陈述',
        level: 'courtyard',
        by: P.medG1.username,
        at: NOW,
      },
    ]);
    expect(deltas(one.counters)).toEqual({
      mediation_sessions: 1,
      mediation_mediated: 1,
      mediation_mediated_courtyard: 1,
      mediation_mediated_type_neighbour: 1,
    });
    const two = ok(planSession(one.after, session(2), P.medG1, NOW, ctx));
    expect(deltas(two.counters)).toEqual({ mediation_sessions: 1 });
  });

  it('lets an invited participant hold a session and give an opinion while invited', () => {
    const c = taken();
    const invitations = [invitation()];
    const s = ok(planSession(c, session(1), P.judge, NOW, { ...ctx, invitations }));
    expect(s.events[0]?.details).toMatchObject({ as: 'participant' });
    const n = ok(planNote(s.after, { version: 2, text: '建议参照相邻关系条款' }, P.judge, NOW, { ...ctx, invitations }));
    expect(n.after.version).toBe(3);
    expect(n.events[0]).toMatchObject({ kind: 'note', details: { text: '建议参照相邻关系条款', as: 'participant' } });
    expect(n.counters).toEqual([]);
    refused(planNote(s.after, { version: 2, text: '迟到的意见' }, P.judge, later(6), { ...ctx, invitations }), 'mediation.out_of_scope');
    refused(planOutcome(s.after, agreement(2), P.judge, NOW, { ...ctx, invitations }), 'mediation.participant_only');
    refused(
      planInvite(s.after, { version: 2, role: 'police', name: '民警', until: '2026-12-08' }, P.judge, NOW, { ...ctx, invitations }),
      'mediation.participant_only',
    );
  });

  it('takes notes on an agreed case but no session', () => {
    const a = agreed();
    ok(planNote(a, { version: a.version, text: '履行中' }, P.medG1, NOW, ctx));
    refused(planSession(a, session(a.version), P.medG1, NOW, ctx), 'mediation.wrong_status');
  });
});

describe('planOutcome', () => {
  it('records an agreement with its follow-ups due, and counts it', () => {
    const c = taken();
    const d = ok(planOutcome(c, agreement(1), P.medG1, NOW, ctx));
    expect(d.after.status).toBe('agreed');
    expect(d.after.agreement).toMatchObject({
      level: 'courtyard',
      signedOn: '2026-12-05',
      followUpDue: ['2027-01-04', '2027-03-05'],
      by: P.medG1.username,
    });
    expect(deltas(d.counters)).toEqual({
      mediation_mediated: 1,
      mediation_mediated_courtyard: 1,
      mediation_mediated_type_neighbour: 1,
      mediation_agreements: 1,
      mediation_agreements_courtyard: 1,
      mediation_agreements_type_neighbour: 1,
    });
    const custom = ok(planOutcome(c, agreement(1), P.medG1, NOW, { ...ctx, followUpDays: [7] }));
    expect(custom.after.agreement?.followUpDue).toEqual(['2026-12-12']);
  });

  it('records a failure, refers the parties on and ends the case', () => {
    const c = ok(planSession(taken(), session(1), P.medG1, NOW, ctx)).after;
    const d = ok(planOutcome(c, { version: 2, failure: { referral: 'arbitration', reason: '工资数额分歧大' } }, P.medG1, NOW, ctx));
    expect(d.after).toMatchObject({ status: 'failed', failure: { referral: 'arbitration', level: 'courtyard' } });
    expect(deltas(d.counters)).toEqual({
      mediation_failures: 1,
      mediation_failures_courtyard: 1,
      mediation_failures_type_neighbour: 1,
      mediation_referred_arbitration: 1,
    });
    for (const step of [
      planSession(d.after, session(3), P.admin, NOW, ctx),
      planOutcome(d.after, agreement(3), P.admin, NOW, ctx),
      planNote(d.after, { version: 3, text: 'x' }, P.admin, NOW, ctx),
      planFollowUp(d.after, { version: 3, holds: true, note: 'x' }, P.admin, NOW, ctx),
    ])
      refused(step, 'mediation.closed');
  });

  it('refuses a second outcome', () => {
    const a = agreed();
    refused(planOutcome(a, agreement(a.version), P.medG1, NOW, ctx), 'mediation.wrong_status');
  });
});

describe('planFollowUp', () => {
  it('waits until the next follow-up is due', () => {
    const a = agreed();
    refused(planFollowUp(a, { version: 2, holds: true, note: '已修好' }, P.medG1, later(29), ctx), 'mediation.follow_up_not_due');
    ok(planFollowUp(a, { version: 2, holds: true, note: '已修好' }, P.medG1, later(30), ctx));
  });

  it('closes the case for good when the agreement holds at both follow-ups', () => {
    const a = agreed();
    const first = ok(planFollowUp(a, { version: 2, holds: true, note: '已修好' }, P.medG1, later(30), ctx));
    expect(first.after.status).toBe('agreed');
    expect(deltas(first.counters)).toEqual({ mediation_follow_up_held: 1 });
    refused(planFollowUp(first.after, { version: 3, holds: true, note: '无' }, P.medG1, later(60), ctx), 'mediation.follow_up_not_due');
    const second = ok(planFollowUp(first.after, { version: 3, holds: true, note: '相安无事' }, P.medG1, later(91), ctx));
    expect(second.after.status).toBe('closed');
    expect(second.after.followUps.map((f) => f.due)).toEqual(['2027-01-04', '2027-03-05']);
    expect(second.events.map((e) => e.kind)).toEqual(['follow_up', 'closed']);
    expect(deltas(second.counters).mediation_closed_courtyard).toBe(1);
    refused(planFollowUp(second.after, { version: 4, holds: true, note: 'x' }, P.medG1, later(200), ctx), 'mediation.closed');
  });

  it('reopens a broken agreement at the level it was agreed, and takes the agreement off the count', () => {
    const up = ok(planEscalate(taken(), { version: 1, reason: '上' }, P.medG1, NOW, ctx)).after;
    const a = ok(planOutcome(up, agreement(2), P.medC1, NOW, ctx)).after;
    const first = ok(planFollowUp(a, { version: 3, holds: true, note: '已修好' }, P.medC1, later(30), ctx)).after;
    const d = ok(planFollowUp(first, { version: 4, holds: false, note: '又漏水了' }, P.medC1, later(95), ctx));
    expect(d.after).toMatchObject({ status: 'open', level: 'community', reopens: 1, followUps: [] });
    expect(d.after.agreement).toBeUndefined();
    expect(d.events.map((e) => e.kind)).toEqual(['follow_up', 'reopened']);
    expect(deltas(d.counters)).toEqual({
      mediation_follow_up_broken: 1,
      mediation_agreements: -1,
      mediation_agreements_community: -1,
      mediation_agreements_type_neighbour: -1,
      mediation_reopened: 1,
      mediation_reopened_community: 1,
      mediation_reopened_type_neighbour: 1,
    });
    // Mediated again: no second `mediated`.
    expect(deltas(ok(planSession(d.after, session(5), P.medC1, later(96), ctx)).counters)).toEqual({ mediation_sessions: 1 });
  });

  it('refuses a follow-up on an open case', () => {
    refused(planFollowUp(taken(), { version: 1, holds: true, note: 'x' }, P.medG1, NOW, ctx), 'mediation.wrong_status');
  });
});

describe('planInvite', () => {
  it('invites an outside participant; the first invitation makes the case joint', () => {
    const c = taken();
    const d = ok(
      planInvite(c, { version: 1, role: 'judge', name: '王法官', until: '2026-12-10', username: P.judge.username }, P.medG1, NOW, ctx),
    );
    expect(d.after.joint).toBe(true);
    expect(d.invitation).toEqual(invitation({ invitedBy: P.medG1.username }));
    expect(deltas(d.counters)).toEqual({
      mediation_invitations: 1,
      mediation_joint: 1,
      mediation_joint_courtyard: 1,
      mediation_joint_type_neighbour: 1,
    });
    const again = ok(planInvite(d.after, { version: 2, role: 'police', name: '社区民警', until: '2026-12-05' }, P.medG1, NOW, ctx));
    expect(again.invitation).not.toHaveProperty('username');
    expect(deltas(again.counters)).toEqual({ mediation_invitations: 1 });
  });

  it('refuses an invitation that has already run out', () => {
    refused(
      planInvite(taken(), { version: 1, role: 'judge', name: '王法官', until: '2026-12-04' }, P.medG1, NOW, ctx),
      'mediation.invitation_expired',
    );
  });
});

describe('who sees a case', () => {
  const c = taken();
  const up = ok(planEscalate(c, { version: 1, reason: '上' }, P.medG1, NOW, ctx)).after;
  const top = ok(planEscalate(up, { version: 2, reason: '上' }, P.medC1, NOW, ctx)).after;

  it('by role and scope', () => {
    const sees = (p: Principal, x = c) => maySeeCase(p, x, NOW, [], POSTS);
    expect(sees(P.admin)).toBe(true);
    expect(sees(P.auditor)).toBe(true);
    expect(sees(P.auditorC2)).toBe(false);
    expect(sees(P.staffC1)).toBe(true);
    expect(sees(P.staffC2)).toBe(false);
    expect(sees(P.coordG1, top)).toBe(true);
    expect(sees(P.coordG3)).toBe(false);
    expect(sees(P.medTown)).toBe(true);
    expect(maySeeCase(P.medTown, c, NOW, [], [])).toBe(false);
    expect(sees(P.otherAdmin)).toBe(false);
    expect(sees(P.county)).toBe(false);
    expect(sees(P.judge)).toBe(false);
  });

  it('an invited participant while the invitation runs, that case only', () => {
    const inv = [invitation()];
    expect(maySeeCase(P.judge, c, NOW, inv)).toBe(true);
    expect(maySeeCase(P.judge, c, '2026-12-10T15:59:59.000Z', inv)).toBe(true);
    expect(maySeeCase(P.judge, c, '2026-12-10T16:00:00.000Z', inv)).toBe(false);
    expect(maySeeCase(P.judge, { ...c, caseId: 'case-2' }, NOW, inv)).toBe(false);
    expect(maySeeCase(P.judge, c, NOW, [invitation({ username: undefined })])).toBe(false);
    expect(mayActOnCase(P.judge, c, 'session', NOW, inv)).toBe(true);
    expect(mayActOnCase(P.judge, c, 'outcome', NOW, inv)).toBe(false);
    expect(mayActOnCase(P.judge, c, 'follow_up', NOW, inv)).toBe(false);
  });

  it('the auditor never acts', () => {
    for (const a of ['escalate', 'session', 'note', 'outcome', 'invite'] as const)
      expect(mayActOnCase(P.auditor, c, a, NOW, [], POSTS)).toBe(false);
  });
});

describe('schedules, flags and rates', () => {
  it('schedules follow-ups from the signing day', () => {
    expect(followUpSchedule('2026-12-05')).toEqual(['2027-01-04', '2027-03-05']);
    expect(followUpSchedule('2026-12-05', [90, 30, 30])).toEqual(['2027-01-04', '2027-03-05']);
    expect(followUpSchedule('2026-12-05', [])).toEqual(['2027-01-04', '2027-03-05']);
    expect(followUpSchedule('2028-01-30', [30])).toEqual(['2028-02-29']);
  });

  it('flags a high risk and repeat parties', () => {
    expect(caseFlags(taken(), {})).toEqual({ flags: [], repeatParties: [] });
    expect(caseFlags(taken(), { k2: 1 })).toEqual({ flags: ['repeat_party'], repeatParties: [1] });
    expect(caseFlags(taken(), { k1: 0 })).toEqual({ flags: [], repeatParties: [] });
    const high = taken({ risk: { level: 'high', reason: '扬言报复' } }, [null, null]);
    expect(caseFlags(high, { k1: 3 })).toEqual({ flags: ['high_risk'], repeatParties: [] });
  });

  it('rates success over outcomes', () => {
    expect(successRate(0, 0)).toBeNull();
    expect(successRate(3, 1)).toBe(0.75);
    expect(successRate(0, 2)).toBe(0);
  });
});
