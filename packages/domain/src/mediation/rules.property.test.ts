import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shanghaiDay } from '../common/days';
import type { Principal } from '../principal';
import { FINAL_MEDIATION_STATUSES, MEDIATION_ACTIONS, MEDIATION_LEVELS, type MediationLevel, mediationCaseSchema } from './api';
import { MEDIATION_REFUSALS } from './ladder';
import {
  caseView,
  type MediationCase,
  type MediationDecision,
  type MediationInvitation,
  mayActOnCase,
  maySeeCase,
  planEscalate,
  planFollowUp,
  planInvite,
  planNote,
  planOutcome,
  planSession,
} from './rules';
import { invitation, NOW, P, POSTS, taken } from './testing/town';

/*
 * Random lives of one case: random steps by random people at random times (never earlier than the last),
 * checked against the invariants of the ladder and of the counters.
 */

const PRINCIPALS: Principal[] = Object.values(P);
const rank = (l: MediationLevel) => MEDIATION_LEVELS.indexOf(l);
const DAY = 86_400_000;

type Step = { kind: number; who: number; days: number; holds: boolean; agree: boolean; on: number };
const step = fc.record({
  kind: fc.oneof({ arbitrary: fc.nat(6), weight: 2 }, { arbitrary: fc.constantFrom(4, 5), weight: 1 }),
  /** Half the time the town admin, who may act anywhere, so that cases get far. */
  who: fc.oneof(fc.constant(PRINCIPALS.indexOf(P.admin)), fc.nat(PRINCIPALS.length - 1)),
  days: fc.nat(40),
  holds: fc.oneof(fc.constant(true), fc.boolean()),
  agree: fc.oneof(fc.constant(true), fc.boolean()),
  on: fc.nat(10),
});

function apply(c: MediationCase, s: Step, p: Principal, now: string, invitations: MediationInvitation[]): MediationDecision {
  const ctx = { posts: POSTS, invitations };
  const v = c.version;
  const today = shanghaiDay(now);
  switch (s.kind) {
    case 0:
      return planEscalate(c, { version: v, reason: '调解未果' }, p, now, ctx);
    case 1:
      return planSession(c, { version: v, on: today, place: '议事亭', attendees: ['甲', '乙'], notes: '陈述' }, p, now, ctx);
    case 2:
      return planNote(c, { version: v, text: '意见' }, p, now, ctx);
    case 3:
      return s.agree
        ? planOutcome(c, { version: v, agreement: { facts: '事实', terms: ['条款'], signedOn: today } }, p, now, ctx)
        : planOutcome(c, { version: v, failure: { referral: 'litigation', reason: '拒绝' } }, p, now, ctx);
    case 4:
    case 5:
      return planFollowUp(c, { version: v, holds: s.holds, note: '回访' }, p, now, ctx);
    default: {
      const until = new Date(Date.parse(now) + s.on * DAY).toISOString().slice(0, 10);
      return planInvite(c, { version: v, role: 'judge', name: '法官', until, username: P.judge.username }, p, now, ctx);
    }
  }
}

describe('a case’s whole life', () => {
  it('never goes down the ladder, keeps its versions and sums its counters to one received and at most one outcome', () => {
    fc.assert(
      fc.property(fc.constantFrom<MediationLevel>(...MEDIATION_LEVELS), fc.array(step, { maxLength: 40 }), (level, steps) => {
        const intakeLevel = level;
        let c = taken(level === 'courtyard' ? {} : { level, diversionReason: '分流' });
        const totals: Record<string, number> = { mediation_received: 1, [`mediation_received_${intakeLevel}`]: 1 };
        const invitations: MediationInvitation[] = [];
        let t = Date.parse(NOW);
        for (const s of steps) {
          t += s.days * DAY;
          const now = new Date(t).toISOString();
          const p = PRINCIPALS[s.who] as Principal;
          const d = apply(c, s, p, now, invitations);
          if (!d.ok) {
            expect(Object.keys(MEDIATION_REFUSALS)).toContain(d.error.code);
            expect(d.error.status).toBe(MEDIATION_REFUSALS[d.error.code as keyof typeof MEDIATION_REFUSALS].status);
            continue;
          }
          const before = c;
          c = d.after;
          expect(FINAL_MEDIATION_STATUSES).not.toContain(before.status);
          expect(c.version).toBe(before.version + 1);
          expect(rank(c.level)).toBeGreaterThanOrEqual(rank(before.level));
          if (s.kind === 0) expect(rank(c.level)).toBe(rank(before.level) + 1);
          if (d.invitation) invitations.push(d.invitation);
          for (const cd of d.counters) for (const [k, n] of Object.entries(cd.deltas)) totals[k] = (totals[k] ?? 0) + n;
        }
        const n = (k: string) => totals[k] ?? 0;
        expect(n('mediation_received')).toBe(1);
        for (const k of ['agreements', 'failures', 'mediated', 'joint', 'closed']) {
          expect(n(`mediation_${k}`)).toBeGreaterThanOrEqual(0);
          expect(n(`mediation_${k}`)).toBeLessThanOrEqual(1);
          expect(MEDIATION_LEVELS.reduce((sum, l) => sum + n(`mediation_${k}_${l}`), 0)).toBe(n(`mediation_${k}`));
          expect(n(`mediation_${k}_type_neighbour`)).toBe(n(`mediation_${k}`));
        }
        expect(n('mediation_agreements') + n('mediation_failures')).toBeLessThanOrEqual(1);
        expect(n('mediation_agreements')).toBe(c.status === 'agreed' || c.status === 'closed' ? 1 : 0);
        expect(n('mediation_failures')).toBe(c.status === 'failed' ? 1 : 0);
        expect(n('mediation_joint')).toBe(c.joint ? 1 : 0);
        expect(n('mediation_closed')).toBe(c.status === 'closed' ? 1 : 0);
        expect(n('mediation_reopened')).toBe(c.reopens);
        if (n('mediation_agreements') + n('mediation_failures') > 0) expect(n('mediation_mediated')).toBe(1);
        expect(mediationCaseSchema.safeParse(caseView(c)).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('invitations', () => {
  const c = taken();
  it('an expired invitation never grants access', () => {
    fc.assert(
      fc.property(
        fc.nat(PRINCIPALS.length - 1),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 86_399 }),
        fc.constantFrom(...MEDIATION_ACTIONS),
        (who, daysPast, seconds, action) => {
          const p = PRINCIPALS[who] as Principal;
          const until = '2026-12-10';
          // Midnight of the day after `until` in Shanghai, then `daysPast - 1` days and some seconds later.
          const now = new Date(Date.parse('2026-12-10T16:00:00.000Z') + (daysPast - 1) * DAY + seconds * 1000).toISOString();
          const invs = [invitation({ until, username: p.kind === 'town' ? p.username : 'x' })];
          expect(maySeeCase(p, c, now, invs, POSTS)).toBe(maySeeCase(p, c, now, [], POSTS));
          expect(mayActOnCase(p, c, action, now, invs, POSTS)).toBe(mayActOnCase(p, c, action, now, [], POSTS));
        },
      ),
    );
  });

  it('a running invitation grants a participant their case only, and never a decision', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 * 86_400 - 1 }), fc.constantFrom(...MEDIATION_ACTIONS), (seconds, action) => {
        const now = new Date(Date.parse(NOW) + seconds * 1000).toISOString();
        const invs = [invitation({ until: '2026-12-10' })];
        expect(maySeeCase(P.judge, c, now, invs)).toBe(true);
        expect(maySeeCase(P.judge, { ...c, caseId: 'other' }, now, invs)).toBe(false);
        expect(mayActOnCase(P.judge, c, action, now, invs)).toBe(action === 'session' || action === 'note');
      }),
    );
  });
});
