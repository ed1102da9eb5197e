import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountMetrics } from '../support/recount';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

const as = (token: string) => ({
  post: async (path: string, body: unknown) => stack.call('POST', path, { token, body }),
  put: async (path: string, body: unknown) => stack.call('PUT', path, { token, body }),
  get: async (path: string) => stack.call('GET', path, { token }),
});
type Member = { coordinatorId: string; stage: string; version: number };
type Matrix = {
  gridsWithoutResponsible: string[];
  postsUnheld: string[];
  grids: Array<{ gridId: string; responsible: { coordinatorId: string } | null }>;
};

const recommend = { name: '赵敏', communityId: 'qingshi-sq', recommendedBy: '居民代表会议', on: '2026-11-01', votes: 42, method: 'votes' };

describe('the team (issue 12)', () => {
  it('walks a candidate to appointment, names them for a grid, dismisses them, with history and the matrix', async () => {
    const api = as(admin);
    const created = await api.post('/town/team', recommend);
    expect(created.status).toBe(201);
    const id = (created.body as Member).coordinatorId;
    // No step is skipped: training before inspection is refused.
    expect((await api.post(`/town/team/${id}/train`, { on: '2026-11-20', courses: ['a'], hours: 8, examPassed: true })).status).toBe(409);
    expect((await api.post(`/town/team/${id}/inspect`, { inspector: '李', on: '2026-11-10', findings: '好', passed: true })).status).toBe(
      200,
    );
    expect((await api.post(`/town/team/${id}/override`, { step: 'train', reason: '县里已培训' })).body).toMatchObject({ stage: 'trained' });
    const appointed = await api.post(`/town/team/${id}/appoint`, {
      on: '2026-12-01',
      gridIds: ['qs-g1', 'qs-g2'],
      postIds: ['mediator', 'work_safety'],
      documentNo: '青发〔2026〕3号',
    });
    expect(appointed.body).toMatchObject({ stage: 'appointed', version: 4 });
    // A grid of another community is refused.
    const other = await api.post('/town/team', recommend);
    const otherId = (other.body as Member).coordinatorId;

    const named = await api.put('/town/grids/qs-g1/responsible', { coordinatorId: id });
    expect(named.status).toBe(200);
    expect((named.body as Matrix).grids.find((g) => g.gridId === 'qs-g1')?.responsible?.coordinatorId).toBe(id);
    expect((named.body as Matrix).gridsWithoutResponsible).not.toContain('qs-g1');
    expect((await api.put('/town/grids/qs-g1/responsible', { coordinatorId: otherId })).status).toBe(422);

    const record = (await api.get(`/town/team/${id}`)).body as { history: Array<{ kind: string }> };
    expect(record.history.map((e) => e.kind)).toEqual(['recommended', 'inspected', 'override', 'appointed', 'named_responsible']);

    const list = (await api.get('/town/team')).body as { items: Member[] };
    expect(list.items).toEqual(expect.arrayContaining([expect.objectContaining({ coordinatorId: id, stage: 'appointed' })]));

    expect((await api.post(`/town/team/${id}/dismiss`, { on: '2026-12-05', reason: '考核不合格' })).body).toMatchObject({
      stage: 'dismissed',
    });
    const matrix = (await api.get('/town/communities/qingshi-sq/coverage')).body as Matrix;
    expect(matrix.gridsWithoutResponsible).toContain('qs-g1');
    expect(matrix.postsUnheld).toContain('work_safety');
  });

  it('lets staff read the team but only a town admin record a step', async () => {
    const staff = as(await stack.token('qingshi.grid1'));
    expect((await staff.get('/town/team')).status).toBe(403);
    expect((await staff.post('/town/team', recommend)).status).toBe(403);
    const auditor = as(await stack.token('qingshi.auditor'));
    expect((await auditor.get('/town/team')).status).toBe(200);
    expect((await auditor.post('/town/team', recommend)).status).toBe(403);
  });

  it("rolls the team's counters up to the county, equal to an independent recount", async () => {
    const api = as(admin);
    const county = await stack.token('county.admin');
    const period = new Date().toISOString().slice(0, 7);
    const figures = async () => {
      expect((await stack.call('POST', '/admin/rollups/run', { token: county, body: { period } })).status).toBe(200);
      const view = (await stack.call('GET', '/admin/rollups', { token: county, query: { period } })).body as {
        towns: Array<{ townId: string; metrics: Record<string, number> }>;
      };
      const m = view.towns.find((t) => t.townId === 'qingshi')?.metrics ?? {};
      expect(m).toEqual(await recountMetrics('qingshi', period));
      return m;
    };
    const before = await figures();
    // One more coordinator, left in post, responsible for the grid the demo team leaves uncovered (qs-g3)
    // and holding a post nobody in the community holds (legal publicity: the demo's holder was dismissed).
    const id = ((await api.post('/town/team', recommend)).body as Member).coordinatorId;
    await api.post(`/town/team/${id}/override`, { step: 'inspect', reason: '县里统一考察' });
    await api.post(`/town/team/${id}/override`, { step: 'train', reason: '县里统一培训' });
    await api.post(`/town/team/${id}/appoint`, { on: '2026-12-02', gridIds: ['qs-g3'], postIds: ['legal_publicity'], documentNo: 'D-9' });
    expect((await api.put('/town/grids/qs-g3/responsible', { coordinatorId: id })).status).toBe(200);

    const after = await figures();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect(before.coordinators_active).toBeGreaterThan(0);
    expect({
      active: delta('coordinators_active'),
      appointed: delta('coordinators_appointed'),
      responsible: delta('grids_responsible'),
      posts: delta('posts_held'),
    }).toEqual({ active: 1, appointed: 1, responsible: 1, posts: 1 });
  });

  it('refuses to retire or move a grid, or retire a community, while coordinators are appointed there (decision 80)', async () => {
    const api = as(admin);
    type Err = { error: { code: string; message: string } };
    // The demo team has a coordinator appointed to qs-g2 (and qs-g1) of qingshi-sq.
    const retire = await api.post('/town/grids/qs-g2/retire', { version: 1 });
    expect([retire.status, (retire.body as Err).error.code]).toEqual([409, 'grid.staffed']);
    const move = await api.post('/town/grids/qs-g2/move', { version: 1, communityId: 'qingshi-cun' });
    expect([move.status, (move.body as Err).error.code]).toEqual([409, 'grid.staffed']);
    const community = await api.post('/town/communities/qingshi-sq/retire', { version: 1 });
    expect([community.status, (community.body as Err).error.code]).toEqual([409, 'community.staffed']);
    // Nothing changed: the grid is still active and still in its community.
    const h = (await api.get('/town/hierarchy')).body as {
      communities: Array<{ communityId: string; grids: Array<{ gridId: string; status?: string }> }>;
    };
    const sq = h.communities.find((c) => c.communityId === 'qingshi-sq');
    expect(sq?.grids.map((g) => g.gridId)).toContain('qs-g2');
  });

  it('refuses a community of no grid and no team', async () => {
    expect((await as(admin).get('/town/communities/nowhere/coverage')).status).toBe(404);
  });
});
