import type { MediationIntake, TownPrincipal } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { type CommandObservation, injectFault, observeCommands } from '../client';
import { townKeys } from '../keys';
import { commitChange, getItem, type Item, queryAll } from '../ops';
import { orgOf } from '../org';
import { provisionTown } from '../towns';
import { townVault } from '../vault';
import { mediationOf, mediationPlaces, remindFollowUps } from './index';

// Mediation's data layer on DynamoDB Local: the key layout, one transaction per change, one Query per
// case page and per list page, lists merged over a community's grids, the follow-up job's idempotence.

const TOWN = 'linhai';
const NOW = '2026-12-05T02:00:00.000Z';
const k = townKeys(TOWN);
const who = (username: string, role: TownPrincipal['role'], communities: string[] = [], grids: string[] = []): TownPrincipal => ({
  kind: 'town',
  userId: username,
  username,
  role,
  townId: TOWN,
  scope: { communities, grids },
});

let town: Promise<{ communityId: string; grids: string[] }> | undefined;
/** One town for the file: a community of three grids, a coordinator holding the mediator post in the first, its station, the centre. */
function setUp() {
  town ??= (async () => {
    await provisionTown(TOWN, { name: '临海镇', kind: 'town', admin: { username: 'linhai.admin', displayName: '周' } }, 'c', NOW);
    const org = orgOf(TOWN);
    const c = (await org.createCommunity({ name: '东社区', kind: 'community' }, 'a', NOW)) as unknown as { communityId: string };
    const grids: string[] = [];
    for (const n of [1, 2, 3]) {
      const g = (await org.createGrid({ communityId: c.communityId, name: `网格${n}`, code: `G${n}` }, 'a', NOW)) as unknown as {
        gridId: string;
      };
      grids.push(g.gridId);
    }
    const staff = (username: string, role: string, communityIds: string[] = [], gridIds: string[] = []) => ({
      kind: 'put' as const,
      item: { ...k.staff(username), type: 'Staff', username, role, communityIds, gridIds, status: 'active', version: 1 },
    });
    await commitChange({
      writes: [
        staff('linhai.grid1', 'grid_coordinator', [c.communityId], [grids[0] as string]),
        staff('linhai.station1', 'community_staff', [c.communityId]),
        staff('linhai.mediator', 'mediator'),
        {
          kind: 'put',
          item: {
            ...k.teamCoverage(c.communityId),
            type: 'TeamCoverage',
            communityId: c.communityId,
            holders: { k1: { name: '王芳', gridIds: [grids[0]], postIds: ['mediator'] } },
            responsible: {},
            version: 1,
          },
        },
        {
          kind: 'put',
          item: {
            ...k.teamMember('k1'),
            type: 'TeamMember',
            coordinatorId: 'k1',
            stage: 'appointed',
            appointment: { username: 'linhai.grid1' },
          },
        },
      ],
      audit: [],
    });
    await mediationPlaces(TOWN, true);
    // The town's data key, made on its first use: not a case's write.
    await townVault(TOWN);
    return { communityId: c.communityId, grids };
  })();
  return town;
}

const admin = who('linhai.admin', 'town_admin');
let n = 0;
const intake = (over: Partial<MediationIntake> & { gridId: string }): MediationIntake => ({
  caseId: `m-${++n}`,
  parties: [{ name: '张某' }, { name: '李某' }],
  type: 'neighbour',
  summary: '争执',
  risk: { level: 'low' },
  foundBy: { how: 'walk_in' },
  level: 'community',
  diversionReason: '直接由社区受理',
  ...over,
});
const watch = () => {
  const seen: CommandObservation[] = [];
  const stop = observeCommands((o) => seen.push(o));
  return { seen, stop, ops: () => seen.map((o) => o.operation) };
};

describe('mediation on DynamoDB Local', () => {
  it('reads the posts from the team and the staff', async () => {
    const { communityId, grids } = await setUp();
    const { posts } = await mediationPlaces(TOWN);
    expect(posts).toEqual([
      { level: 'courtyard', place: grids[0], usernames: ['linhai.grid1'] },
      { level: 'community', place: communityId, usernames: ['linhai.station1'] },
      { level: 'town', place: 'TOWN', usernames: ['linhai.mediator'] },
    ]);
  });

  it('writes a case in one transaction, keeps it on its lists, and reads its page in one Query', async () => {
    const { grids } = await setUp();
    const w = watch();
    const { detail } = await mediationOf(admin).takeIn(intake({ gridId: grids[0] as string, level: 'courtyard' }), NOW);
    w.stop();
    expect(w.ops().filter((o) => o === 'TransactWriteItems')).toHaveLength(1);
    const raw = (await getItem<Item>(k.mediationCase(detail.case.caseId), { consistent: true })) as Item;
    expect(raw).toMatchObject({ gsi1pk: k.mediationGridPk(grids[0] as string), gsi2pk: k.mediationTownPk, disputeType: 'neighbour' });
    expect(String(raw.gsi1sk)).toMatch(/^open#2#/);
    const r = watch();
    const page = await mediationOf(admin).get(detail.case.caseId, NOW);
    r.stop();
    expect(r.ops()).toEqual(['Query']);
    expect(page.events.map((e) => e.kind)).toEqual(['taken_in']);
    // An action: one transaction, the case moved at its version.
    const a = watch();
    const escalated = await mediationOf(who('linhai.grid1', 'grid_coordinator', [], [grids[0] as string])).act(
      detail.case.caseId,
      { action: 'escalate', version: 1, reason: '上报社区' },
      NOW,
    );
    a.stop();
    expect(a.ops()).toEqual(['Query', 'TransactWriteItems']);
    expect(escalated.case).toMatchObject({ level: 'community', version: 2, mediators: ['linhai.station1'] });
  });

  it('lists a community over its grids in one merged order, page by page, each page a bounded number of Queries', async () => {
    const { communityId, grids } = await setUp();
    const risks = ['low', 'high', 'medium', 'high', 'low', 'medium', 'low'] as const;
    const made: string[] = [];
    for (const [i, level] of risks.entries()) {
      const at = `2026-12-05T03:0${i}:00.000Z`;
      const d = await mediationOf(admin).takeIn(
        intake({ gridId: grids[i % 3] as string, risk: level === 'high' ? { level, reason: '冲突' } : { level } }),
        at,
      );
      made.push(d.detail.case.caseId);
    }
    const station = mediationOf(who('linhai.station1', 'community_staff', [communityId]));
    const all = await mediationOf(admin).list({ view: 'open', limit: 100 }, NOW);
    const expected = all.items.map((c) => c.caseId);
    expect(expected).toEqual(expect.arrayContaining(made));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const w = watch();
      const page = await station.list({ view: 'open', limit: 2, ...(cursor ? { cursor } : {}) }, NOW);
      w.stop();
      // Three grids: at most two reads of each per page.
      expect(w.ops().filter((o) => o === 'Query').length).toBeLessThanOrEqual(6);
      seen.push(...page.items.map((c) => c.caseId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
    // The town's list is one Query a page.
    const t = watch();
    await mediationOf(admin).list({ view: 'open', limit: 2 }, NOW);
    t.stop();
    expect(t.ops()).toEqual(['Query']);
    // A coordinator reaches their own grid only.
    const grid1 = await mediationOf(who('linhai.grid1', 'grid_coordinator', [], [grids[0] as string])).list(
      { view: 'open', limit: 100 },
      NOW,
    );
    expect(grid1.items.every((c) => c.gridId === grids[0])).toBe(true);
    // One rung only.
    const yard = await mediationOf(admin).list({ view: 'open', level: 'courtyard', limit: 100 }, NOW);
    expect(yard.items.every((c) => c.level === 'courtyard')).toBe(true);
  });

  it('reads the month’s figures with one GetItem', async () => {
    await setUp();
    const w = watch();
    const s = await mediationOf(admin).summary(NOW);
    w.stop();
    expect(w.ops()).toEqual(['GetItem']);
    expect(s.total.received).toBeGreaterThanOrEqual(8);
    expect(s.month).toBe('2026-12');
  });

  it('tells the mediators of a due follow-up once a day, and a run stopped half-way goes on where it stopped', async () => {
    const { grids } = await setUp();
    const made: string[] = [];
    for (const i of [0, 1]) {
      let d = (await mediationOf(admin).takeIn(intake({ gridId: grids[i] as string }), NOW)).detail;
      d = await mediationOf(admin).act(
        d.case.caseId,
        { action: 'agree', version: d.case.version, agreement: { facts: 'f', terms: ['t'], signedOn: '2026-10-01' } },
        NOW,
      );
      made.push(d.case.caseId);
    }
    const morning = '2026-12-05T23:00:00.000Z';
    // The second case's transaction fails as if the run had stopped there.
    let writes = 0;
    const remove = injectFault((op) => (op === 'TransactWriteItems' && ++writes === 2 ? new Error('stopped') : undefined));
    await expect(remindFollowUps(TOWN, morning, { sleep: async () => {} })).rejects.toThrow('stopped');
    remove();
    const rerun = await remindFollowUps(TOWN, morning, { sleep: async () => {} });
    expect(rerun).toMatchObject({ today: '2026-12-06', due: 2, notified: 1, skipped: 1 });
    const again = await remindFollowUps(TOWN, morning, { sleep: async () => {} });
    expect(again).toMatchObject({ due: 2, notified: 0, skipped: 2 });
    const notes = await queryAll<Item>(k.notificationsPk('linhai.station1'));
    for (const id of made) expect(notes.filter((x) => x.caseId === id)).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'mediation_follow_up', due: '2026-10-31', overdue: true });
  });
});
