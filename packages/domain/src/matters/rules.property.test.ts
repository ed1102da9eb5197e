import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CounterDelta } from '../book/rules';
import type { Principal } from '../principal';
import { type MatterActionInput, matterSchema } from './api';
import {
  FINAL_MATTER_STATUSES,
  type LadderConfig,
  MATTER_ACTIONS,
  MATTER_LADDER,
  MATTER_LEVELS,
  MATTER_STATUSES,
  type MatterAction,
  type MatterLevel,
  SATISFACTIONS,
} from './ladder';
import { allowedActions, decideMatter, MATTER_REFUSALS, type Matter, type MatterContext } from './rules';
import { NOW, P, raised } from './testing/town';

/*
 * Random sequences of random actions by random users on three matters of one town, under a random
 * ladder. Who may act is recomputed here from the domain's words (the role of each level, the scope
 * naming the place), not from ./rules, and every accepted action is checked against it.
 */

const PRINCIPALS: Principal[] = Object.values(P);
const LADDERS: LadderConfig[] = [
  { levels: ['grid', 'community', 'town'], allowSkip: true, allowTransfer: true },
  { levels: ['grid', 'community', 'town'], allowSkip: false, allowTransfer: false },
  { levels: ['grid', 'town'], allowSkip: true, allowTransfer: true },
];

const ROLE_OF: Record<MatterLevel, string> = { grid: 'grid_coordinator', community: 'community_staff', town: 'town_admin' };
const rank = (l: MatterLevel) => MATTER_LEVELS.indexOf(l);

/** The oracle: does `p` handle `level` for the matter's place? */
function handles(p: Principal, m: Matter, level: MatterLevel): boolean {
  if (p.kind !== 'town' || p.townId !== m.townId || p.role !== ROLE_OF[level]) return false;
  if (level === 'grid') return p.scope.grids.includes(m.gridId);
  if (level === 'community') return p.scope.communities.includes(m.communityId);
  return true;
}

/** The levels at which someone may take `action` on `m`, by the domain's words. */
function entitledLevels(m: Matter, action: MatterAction, ladder: LadderConfig): MatterLevel[] {
  const above = ladder.levels.filter((l) => rank(l) > rank(m.level));
  if (action === 'approve_extension' || action === 'reject_extension') return above.slice(0, 1);
  if (action === 'return_visit' || action === 'close_without_visit') return [m.level, ...above];
  return [m.level];
}

/** What must hold of any matter the ladder produces. */
function checkMatter(m: Matter, ladder: LadderConfig): void {
  expect(matterSchema.safeParse(m).success).toBe(true);
  expect(MATTER_STATUSES).toContain(m.status);
  expect(ladder.levels).toContain(m.level);
  const pending = m.extensions.filter((e) => e.status === 'requested');
  expect(pending.length).toBeLessThanOrEqual(1);
  for (const e of pending) {
    expect(['open', 'accepted']).toContain(m.status);
    expect(e.level).toBe(m.level);
  }
  switch (m.status) {
    case 'open':
      expect(m.acceptedAt).toBeUndefined();
      expect(m.resolution).toBeUndefined();
      expect(m.closure).toBeUndefined();
      break;
    case 'accepted':
      expect(m.acceptedAt).toBeDefined();
      expect(m.assignee).toBeDefined();
      break;
    case 'transferred':
      expect(m.level).toBe('town');
      expect(m.transfer).toBeDefined();
      break;
    case 'resolved':
      expect(m.resolution).toBeDefined();
      break;
    case 'closed':
      expect(m.resolution).toBeDefined();
      expect(m.closure).toBeDefined();
      if (m.closure?.how === 'visit') expect(m.closure.satisfaction).not.toBe('dissatisfied');
      else expect(m.closure?.reason).toBeDefined();
      break;
    case 'merged':
      expect(m.mergedInto).toBeDefined();
      expect(m.mergedInto).not.toBe(m.matterId);
      break;
  }
}

const stepArb = fc.record({
  guided: fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
  matter: fc.nat(2),
  principal: fc.nat(),
  action: fc.constantFrom(...MATTER_ACTIONS),
  pick: fc.nat(),
  stale: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  staleBy: fc.constantFrom(-2, -1, 1, 2),
  to: fc.option(fc.constantFrom(...MATTER_LEVELS), { nil: undefined }),
  satisfaction: fc.constantFrom(...SATISFACTIONS),
  withReason: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  target: fc.nat(2),
  assignee: fc.nat(),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function inputOf(s: Step, action: MatterAction, version: number, targetId: string, assignee: string): MatterActionInput {
  const reason = '情况说明';
  switch (action) {
    case 'accept':
    case 'approve_extension':
      return { action, version };
    case 'resolve':
      return { action, version, resolution: '已处理完毕' };
    case 'escalate':
    case 'reject_extension':
    case 'close_without_visit':
      return { action, version, reason };
    case 'skip':
      return { action, version, to: s.to ?? 'town', reason };
    case 'send_back':
      return { action, version, reason, ...(s.to ? { to: s.to } : {}) };
    case 'reassign':
      return { action, version, assignee };
    case 'merge':
      return { action, version, targetId, reason };
    case 'transfer':
      return { action, version, department: '县民政局', reason };
    case 'request_extension':
      return { action, version, until: '2026-12-31', reason };
    case 'return_visit':
      return { action, version, reachedBy: 'phone', satisfaction: s.satisfaction, ...(s.withReason ? { reason: '仍未解决' } : {}) };
  }
}

/** Guided picks favour moving along the ladder: merges end a matter and reassignments mostly miss. */
const WEIGHT: Partial<Record<MatterAction, number>> = { merge: 1, reassign: 1, close_without_visit: 2 };
function weighted(offered: MatterAction[], pick: number): MatterAction {
  const total = offered.reduce((n, a) => n + (WEIGHT[a] ?? 5), 0);
  let left = pick % total;
  for (const a of offered) {
    left -= WEIGHT[a] ?? 5;
    if (left < 0) return a;
  }
  return offered[0] as MatterAction;
}

/** Every action accepted at least once over the runs: the walk reaches the whole ladder. */
const seen = new Set<MatterAction>();

describe('the ladder under random use', () => {
  it('stays in its states, lets nobody act outside their level or scope, and keeps versions and counters straight', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LADDERS), fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }), (ladder, steps) => {
        const world: Matter[] = [raised('g1', 'm1'), raised('g2', 'm2', 'safety'), raised('g3', 'm3', 'dispute')];
        const accepts = [0, 0, 0];
        const resolvedAt: Record<string, MatterLevel> = {};
        const active: Record<string, number> = { TOWN: 3, 'GRID#g1': 1, 'GRID#g2': 1, 'GRID#g3': 1 };
        let clock = Date.parse(NOW);

        for (const s of steps) {
          const i = s.matter;
          const m = world[i] as Matter;
          let p = PRINCIPALS[s.principal % PRINCIPALS.length] as Principal;
          let action = s.action;
          if (s.guided) {
            for (let k = 0; k < PRINCIPALS.length; k++) {
              const q = PRINCIPALS[(s.principal + k) % PRINCIPALS.length] as Principal;
              const offered = allowedActions(m, q, ladder);
              if (offered.length) {
                p = q;
                action = weighted(offered, s.pick);
                break;
              }
            }
          }
          const offered = allowedActions(m, p, ladder);
          const version = s.stale ? Math.max(1, m.version + s.staleBy) : m.version;
          const target = world[s.target] as Matter;
          const who = PRINCIPALS[s.assignee % PRINCIPALS.length] as Principal;
          const ctx: MatterContext = { ladder, target, ...(who.kind === 'town' ? { assignee: who } : {}) };
          const input = inputOf(s, action, version, target.matterId, who.username);
          clock += 60_000;
          const now = new Date(clock).toISOString();

          const d = decideMatter(m, input, p, now, ctx);

          if (!d.ok) {
            const known = MATTER_REFUSALS[d.refusal.code];
            expect(known).toBeDefined();
            expect(d.refusal.status).toBe(known.status);
            if (
              version !== m.version &&
              p.kind === 'town' &&
              p.townId === m.townId &&
              ['grid_coordinator', 'community_staff', 'town_admin'].includes(p.role)
            )
              expect(d.refusal.code).toBe('matter.version_conflict');
            continue;
          }

          // Accepted: it was offered, at the version read, to someone entitled at the matter's level and place.
          seen.add(action);
          expect(version).toBe(m.version);
          expect(offered).toContain(action);
          expect(FINAL_MATTER_STATUSES).not.toContain(m.status);
          expect(MATTER_LADDER[action].from).toContain(m.status);
          const levels = entitledLevels(m, action, ladder);
          expect(levels.some((l) => handles(p, m, l))).toBe(true);
          const after = d.after;
          expect(after.version).toBe(m.version + 1);
          expect(after.matterId).toBe(m.matterId);
          expect(after.gridId).toBe(m.gridId);
          const to = MATTER_LADDER[action].to;
          if (to === 'unchanged') expect(after.status).toBe(m.status);
          else expect(to).toContain(after.status);
          checkMatter(after, ladder);

          const between = ladder.levels.filter((l) => rank(l) > rank(m.level) && rank(l) < rank(after.level));
          const moves = MATTER_LADDER[action].moves;
          if (moves === 'up_one') expect([rank(after.level) > rank(m.level), between.length]).toEqual([true, 0]);
          if (moves === 'up_to') expect([rank(after.level) > rank(m.level), between.length > 0]).toEqual([true, true]);
          if (moves === 'down') expect(rank(after.level)).toBeLessThan(rank(m.level));
          if (moves === 'stays') expect(after.level).toBe(m.level);
          if (action === 'resolve') resolvedAt[m.matterId] = m.level;
          if (after.status === 'closed') {
            expect(m.status).toBe('resolved');
            expect(['return_visit', 'close_without_visit']).toContain(action);
            if (action === 'return_visit') expect(input).toMatchObject({ satisfaction: expect.not.stringMatching(/^dissatisfied$/) });
          }
          if (action === 'return_visit' && s.satisfaction === 'dissatisfied') {
            expect(after.status).toBe('open');
            expect(after.level).toBe(resolvedAt[m.matterId]);
            expect(after.reopens).toBe(m.reopens + 1);
          }

          world[i] = after;
          accepts[i] = (accepts[i] as number) + 1;
          if (d.target) {
            const j = world.findIndex((w) => w.matterId === d.target?.after.matterId);
            expect(j).not.toBe(i);
            expect(d.target.after.version).toBe((world[j] as Matter).version + 1);
            expect(d.target.after.status).toBe((world[j] as Matter).status);
            world[j] = d.target.after;
            accepts[j] = (accepts[j] as number) + 1;
          }
          for (const c of d.counters as CounterDelta[])
            if ('matters_active' in c.deltas) active[c.scope] = (active[c.scope] ?? 0) + (c.deltas.matters_active as number);
        }

        // Versions moved exactly once per accepted action; the active counters match the matters.
        expect(world.map((w) => w.version)).toEqual(accepts.map((n) => 1 + n));
        const live = world.filter((w) => !FINAL_MATTER_STATUSES.includes(w.status));
        expect(active.TOWN).toBe(live.length);
        for (const g of ['g1', 'g2', 'g3']) expect(active[`GRID#${g}`]).toBe(live.filter((w) => w.gridId === g).length);
      }),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual([...MATTER_ACTIONS].sort());
  });
});
