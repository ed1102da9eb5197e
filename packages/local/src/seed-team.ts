import { idCheckCharacter } from '@gridline/book';
import { teamOf } from '@gridline/data/team';
import type { TeamAction, TownPrincipal } from '@gridline/domain';

/**
 * The demo team of one town, recorded through the same data functions the API's handlers call
 * (`teamOf(principal).step` and `.nameResponsible`), as the town admin: each grid's coordinator walked
 * from public recommendation through inspection and training to appointment on their grid and named
 * its responsible coordinator — except the last grid of the first community, whose coordinator is trained
 * and awaits appointment, so the coverage matrix shows a grid nobody answers for — and candidates
 * stopped at every other stage.
 */

/** `username`: the grid's existing sign-in, which the appointment names so the account follows the record. */
export type TeamSeedGrid = { gridId: string; communityId: string; coordinatorName: string; posts: string[]; username?: string };

/** Names of the candidates at the other stages (not staff of the town). */
const OTHERS = ['钱丽华', '孙建平', '周晓燕', '吴国强', '郑雅琴', '冯志远'] as const;

/**
 * A fictitious ID number and phone for the n-th person of the demo team: a valid GB 11643 number of a
 * Zhejiang region (born in the 1970s–80s, the sequence's parity giving no particular gender) and a
 * mobile number of the 139 0000 block, so a reveal and the who-to-call page have something to show.
 */
export function demoContacts(n: number): { idNumber: string; phone: string } {
  const birth = `19${75 + (n % 12)}${String((n % 12) + 1).padStart(2, '0')}${String((n % 27) + 1).padStart(2, '0')}`;
  const first17 = `330521${birth}${String(100 + n).slice(-3)}`;
  return { idNumber: `${first17}${idCheckCharacter(first17)}`, phone: `1390000${String(1000 + n).slice(-4)}` };
}

/** Days of the recruitment, a week apart, ending before `now`. */
function daysBefore(now: string, weeks: number): string {
  const d = new Date(now);
  d.setUTCDate(d.getUTCDate() - weeks * 7);
  return d.toISOString().slice(0, 10);
}

export async function seedDemoTeam(townId: string, adminUsername: string, grids: readonly TeamSeedGrid[], now: string): Promise<void> {
  const principal: TownPrincipal = {
    kind: 'town',
    userId: adminUsername,
    username: adminUsername,
    role: 'town_admin',
    townId,
    scope: { communities: [], grids: [] },
  };
  const team = teamOf(principal);
  const day = (weeks: number) => daysBefore(now, weeks);
  let people = 0;
  const recommend = (name: string, communityId: string, votes: number) =>
    team.step(
      undefined,
      {
        kind: 'recommend',
        body: { name, communityId, recommendedBy: '居民代表会议', on: day(8), votes, method: 'votes', ...demoContacts(people++) },
      },
      now,
    );
  const step = (id: string, action: TeamAction) => team.step(id, action, now);
  const inspect = (id: string, passed: boolean) =>
    step(id, {
      kind: 'inspect',
      body: { inspector: '镇综治办', on: day(6), findings: passed ? '群众基础好，熟悉网格情况。' : '群众意见较多，暂不录用。', passed },
    });
  const train = (id: string) =>
    step(id, { kind: 'train', body: { on: day(4), courses: ['政策法规', '入户走访', '矛盾纠纷调解'], hours: 24, examPassed: true } });

  const first = grids[0]?.communityId;
  const gap = grids.filter((g) => g.communityId === first).at(-1)?.gridId;
  for (const [i, g] of grids.entries()) {
    const c = await recommend(g.coordinatorName, g.communityId, 40 + i);
    await inspect(c.coordinatorId, true);
    await train(c.coordinatorId);
    // The gap: this grid's coordinator is trained and awaits appointment, so nobody answers for it yet.
    if (g.gridId === gap) continue;
    await step(c.coordinatorId, {
      kind: 'appoint',
      body: {
        on: day(2),
        gridIds: [g.gridId],
        postIds: g.posts,
        documentNo: `${townId}-任〔${now.slice(0, 4)}〕${i + 1}号`,
        ...(g.username ? { username: g.username } : {}),
      },
    });
    await team.nameResponsible(g.gridId, c.coordinatorId, now);
  }

  // Candidates at every other stage, in the first community.
  if (!first) return;
  const [candidate, rejected, inspected, trained, left, dismissed] = OTHERS;
  await recommend(candidate, first, 28);
  await inspect((await recommend(rejected, first, 12)).coordinatorId, false);
  await inspect((await recommend(inspected, first, 33)).coordinatorId, true);
  const t = await recommend(trained, first, 35);
  await inspect(t.coordinatorId, true);
  await train(t.coordinatorId);
  const l = await recommend(left, first, 21);
  await step(l.coordinatorId, { kind: 'leave', body: { on: day(5), reason: '本人因外出务工退出。' } });
  const d = await recommend(dismissed, first, 30);
  await inspect(d.coordinatorId, true);
  await train(d.coordinatorId);
  const gridId = grids[0]?.gridId ?? '';
  await step(d.coordinatorId, {
    kind: 'appoint',
    body: { on: day(3), gridIds: [gridId], postIds: ['legal_publicity'], documentNo: `${townId}-任〔${now.slice(0, 4)}〕99号` },
  });
  await step(d.coordinatorId, { kind: 'dismiss', body: { on: day(1), reason: '连续三个月未按要求入户走访。' } });
}
