import type { TownPrincipal } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { observeCommands } from '../client';
import { townKeys } from '../keys';
import { commitChange, getItem } from '../ops';
import { recountTown } from '../rollups/recount';
import { orgOf } from '../org';
import { provisionTown } from '../towns';
import { teamOf } from './index';

const NOW = '2026-12-05T02:00:00.000Z';
/** Steps a minute apart, so the history's order is the order they were taken. */
const at = (n: number) => `2026-12-05T02:${String(n).padStart(2, '0')}:00.000Z`;
const admin: TownPrincipal = {
  kind: 'town',
  userId: 'u1',
  username: 'linhai.admin',
  role: 'town_admin',
  townId: 'linhai',
  scope: { communities: [], grids: [] },
};

async function town() {
  await provisionTown('linhai', { name: '临海镇', kind: 'town', admin: { username: 'linhai.admin', displayName: '周' } }, 'c', NOW);
  const org = orgOf('linhai');
  const c = (await org.createCommunity({ name: '东社区', kind: 'community' }, 'a', NOW)) as unknown as { communityId: string };
  const grids: string[] = [];
  for (const n of [1, 2, 3]) {
    const g = (await org.createGrid({ communityId: c.communityId, name: `网格${n}`, code: `G${n}` }, 'a', NOW)) as unknown as {
      gridId: string;
    };
    grids.push(g.gridId);
  }
  return { communityId: c.communityId, grids };
}

describe('the team on DynamoDB Local', () => {
  it('walks a candidate to appointment, keeps the coverage item and counters, and reads the matrix in few calls', async () => {
    const { communityId, grids } = await town();
    const team = teamOf(admin);
    const p = await team.step(
      undefined,
      {
        kind: 'recommend',
        body: { name: '王芳', communityId, recommendedBy: '居民代表会议', on: '2026-11-01', votes: 31, method: 'votes' },
      },
      at(1),
    );
    await expect(
      team.step(
        p.coordinatorId,
        { kind: 'appoint', body: { on: '2026-12-01', gridIds: [grids[0] as string], postIds: ['mediator'], documentNo: 'D' } },
        at(2),
      ),
    ).rejects.toMatchObject({ code: 'team.out_of_order' });
    await team.step(p.coordinatorId, { kind: 'inspect', body: { inspector: '李', on: '2026-11-10', findings: '好', passed: true } }, at(3));
    await team.step(p.coordinatorId, { kind: 'override', body: { step: 'train', reason: '已在县里培训' } }, at(4));
    await expect(
      team.step(
        p.coordinatorId,
        { kind: 'appoint', body: { on: '2026-12-01', gridIds: ['g-elsewhere'], postIds: ['mediator'], documentNo: 'D' } },
        at(5),
      ),
    ).rejects.toMatchObject({ code: 'team.grid_not_in_community' });
    const appointed = await team.step(
      p.coordinatorId,
      {
        kind: 'appoint',
        body: { on: '2026-12-01', gridIds: grids.slice(0, 2), postIds: ['mediator', 'sanitation'], documentNo: '镇发12号' },
      },
      at(6),
    );
    expect(appointed).toMatchObject({ stage: 'appointed', version: 4 });

    await team.nameResponsible(grids[0] as string, p.coordinatorId, at(20));
    const seen: string[] = [];
    const stop = observeCommands((o) => seen.push(o.operation));
    const m = await team.coverage(communityId).finally(stop);
    // The town's grids and the post catalogue (posts/): two Queries, beside the coverage item's GetItem.
    expect(seen.filter((o) => o === 'Query')).toHaveLength(2);
    expect(m.gridsWithoutResponsible).toEqual(grids.slice(1).sort());
    expect(m.postsUnheld).toHaveLength(5);
    expect(m.grids.find((g) => g.gridId === grids[1])?.cells.sanitation).toEqual([{ coordinatorId: p.coordinatorId, name: '王芳' }]);

    const counters = await getItem<Record<string, number>>(townKeys('linhai').counters('TOWN'), { consistent: true });
    expect(counters).toMatchObject({ team_stage_appointed: 1, team_stage_candidate: 0, team_grids_responsible: 1, team_posts_held: 2 });
    // The reconcile job recounts the team's counters from the records and coverage items: no drift.
    expect((await recountTown('linhai')).drift).toEqual([]);

    const { coordinator, history } = await team.get(p.coordinatorId);
    expect(coordinator.overrides).toEqual([expect.objectContaining({ step: 'train', by: 'linhai.admin' })]);
    expect(history.map((e) => e.kind)).toEqual(['recommended', 'inspected', 'override', 'appointed', 'named_responsible']);

    await team.step(p.coordinatorId, { kind: 'dismiss', body: { on: '2026-12-05', reason: '失职' } }, at(21));
    const after = await getItem<Record<string, number>>(townKeys('linhai').counters('TOWN'), { consistent: true });
    expect(after).toMatchObject({ team_stage_appointed: 0, team_stage_dismissed: 1, team_grids_responsible: 0, team_posts_held: 0 });
    expect((await recountTown('linhai')).drift).toEqual([]);
    expect((await team.coverage(communityId)).gridsWithoutResponsible).toHaveLength(3);
    expect((await team.list(10, undefined)).items).toEqual([
      expect.objectContaining({ coordinatorId: p.coordinatorId, stage: 'dismissed' }),
    ]);
  });

  it('reconcile finds a team counter that no longer matches the records', async () => {
    await town();
    await commitChange({
      writes: [],
      audit: [],
      counters: [{ key: townKeys('linhai').counters('TOWN'), deltas: { team_posts_held: 2, team_stage_candidate: 1 } }],
    });
    const { drift } = await recountTown('linhai');
    expect(drift).toEqual(
      expect.arrayContaining([
        { counter: 'TOWN', metric: 'team_posts_held', stored: 2, expected: 0 },
        { counter: 'TOWN', metric: 'team_stage_candidate', stored: 1, expected: 0 },
      ]),
    );
  });
});
