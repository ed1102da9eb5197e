import { DEFAULT_POSTS } from '@gridline/domain';

type Call = (method: string, path: string, o?: { token?: string; body?: unknown }) => Promise<{ status: number; body: unknown }>;

/**
 * A community of `grids` grids, each with one coordinator appointed to it holding every one of the
 * seven default posts and named its responsible coordinator, all through the API as the town admin:
 * the fixture of the coverage matrix's read budget (the API test and the bench both use it).
 */
export async function staffedCommunity(
  call: Call,
  token: string,
  o: { name: string; code: string; grids: number },
): Promise<{ communityId: string; gridIds: string[]; coordinatorIds: string[] }> {
  const ok = async (method: string, path: string, body: unknown, status = 200) => {
    const res = await call(method, path, { token, body });
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  const { communityId } = (await ok('POST', '/town/communities', { name: o.name, kind: 'community' }, 201)) as { communityId: string };
  const gridIds: string[] = [];
  const coordinatorIds: string[] = [];
  for (let n = 1; n <= o.grids; n++) {
    const { gridId } = (await ok('POST', '/town/grids', { communityId, name: `${o.name}${n}号网格`, code: `${o.code}-${n}` }, 201)) as {
      gridId: string;
    };
    gridIds.push(gridId);
    const { coordinatorId } = (await ok(
      'POST',
      '/town/team',
      { name: `协管员${n}`, communityId, recommendedBy: '居民代表会议', on: '2026-11-01', votes: 30 + n, method: 'votes' },
      201,
    )) as { coordinatorId: string };
    coordinatorIds.push(coordinatorId);
    await ok('POST', `/town/team/${coordinatorId}/override`, { step: 'inspect', reason: '县里统一考察' });
    await ok('POST', `/town/team/${coordinatorId}/override`, { step: 'train', reason: '县里统一培训' });
    await ok('POST', `/town/team/${coordinatorId}/appoint`, {
      on: '2026-12-01',
      gridIds: [gridId],
      postIds: DEFAULT_POSTS.map((p) => p.id),
      documentNo: `${o.code}-${n}`,
    });
    await ok('PUT', `/town/grids/${gridId}/responsible`, { coordinatorId });
  }
  return { communityId, gridIds, coordinatorIds };
}
