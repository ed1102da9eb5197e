import { type CommandObservation, observeCommands, townKeys } from '@gridline/data';
import { DEFAULT_POSTS } from '@gridline/domain';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountMetrics } from '../support/recount';
import { startTestStack, type TestStack } from '../support/stack';
import { staffedCommunity } from '../support/staffed-community';

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
  patch: async (path: string, body: unknown) => stack.call('PATCH', path, { token, body }),
  get: async (path: string) => stack.call('GET', path, { token }),
});
type Duties = { version: number; text: string; effectiveFrom: string; by: string };
type Post = {
  postId: string;
  label: { zh: string; en: string };
  retired: boolean;
  version: number;
  dutiesVersion: number;
  duties: Duties | null;
};
type Detail = { post: Post; history: Array<{ kind: string; actor: string }>; duties: Duties[] };
type Err = { error: { code: string } };
const code = (r: { status: number; body: unknown }) => [r.status, (r.body as Err).error?.code];
const catalogue = async (token = admin) => ((await as(token).get('/town/posts')).body as { posts: Post[] }).posts;

describe('posts and duties (定岗定责, issue 12)', () => {
  it('lists the seven posts of provisioning with their demo duties, to every town role', async () => {
    const posts = await catalogue();
    expect(posts.map((p) => p.postId)).toEqual(DEFAULT_POSTS.map((p) => p.id));
    expect(posts.every((p) => p.duties?.version === 1 && p.dutiesVersion === 1 && !p.retired)).toBe(true);
    const grid = await catalogue(await stack.token('qingshi.grid1'));
    expect(grid.find((p) => p.postId === 'mediator')?.duties?.text).toBe(posts.find((p) => p.postId === 'mediator')?.duties?.text);
  });

  it('adds a post, writes and rewrites its duties, renames it, and keeps every version and the history', async () => {
    const api = as(admin);
    const added = await api.post('/town/posts', { postId: 'flood_patrol', label: { zh: '防汛巡查员', en: 'Flood patrol' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ postId: 'flood_patrol', version: 1, dutiesVersion: 0, duties: null, retired: false });
    expect(code(await api.post('/town/posts', { postId: 'flood_patrol', label: { zh: '别名', en: 'Other' } }))).toEqual([
      409,
      'post.exists',
    ]);
    expect(code(await api.post('/town/posts', { postId: 'mediator2', label: { zh: '人民调解员', en: 'x' } }))).toEqual([
      409,
      'post.label_taken',
    ]);
    expect((await api.post('/town/posts', { postId: 'Bad Id', label: { zh: '甲', en: 'A' } })).status).toBe(400);
    expect((await api.post('/town/posts', { postId: 'ok_id', label: { zh: '', en: 'A' } })).status).toBe(400);

    const v1 = await api.put('/town/posts/flood_patrol/duties', { version: 0, text: '汛期每日巡查河堤。', effectiveFrom: '2026-12-01' });
    expect(v1.body).toMatchObject({ dutiesVersion: 1, duties: { version: 1, text: '汛期每日巡查河堤。', by: 'qingshi.admin' } });
    const v2 = await api.put('/town/posts/flood_patrol/duties', {
      version: 1,
      text: '汛期每日巡查河堤，险情即报。',
      effectiveFrom: '2027-01-01',
    });
    expect(v2.body).toMatchObject({ dutiesVersion: 2, version: 3 });
    // An editor who read version 1 is refused, not allowed to overwrite version 2.
    expect(code(await api.put('/town/posts/flood_patrol/duties', { version: 1, text: '旧稿。', effectiveFrom: '2027-01-01' }))).toEqual([
      409,
      'duties.changed',
    ]);
    expect((await api.put('/town/posts/flood_patrol/duties', { version: 2, text: '', effectiveFrom: '2027-01-01' })).status).toBe(400);

    // A rename at a stale version is refused; at the version read it is kept.
    expect(code(await api.patch('/town/posts/flood_patrol', { version: 1, label: { zh: '防汛员', en: 'Flood warden' } }))).toEqual([
      409,
      'post.changed',
    ]);
    const renamed = await api.patch('/town/posts/flood_patrol', { version: 3, label: { zh: '防汛员', en: 'Flood warden' } });
    expect(renamed.body).toMatchObject({ version: 4, label: { zh: '防汛员' }, duties: { version: 2 } });
    expect(code(await api.patch('/town/posts/flood_patrol', { version: 4, label: { zh: '防汛员', en: 'Flood warden' } }))).toEqual([
      400,
      'post.unchanged',
    ]);

    const detail = (await api.get('/town/posts/flood_patrol')).body as Detail;
    expect(detail.post).toMatchObject({ version: 4, duties: { version: 2, text: '汛期每日巡查河堤，险情即报。' } });
    expect(detail.history.map((e) => e.kind)).toEqual(['added', 'duties', 'duties', 'renamed']);
    expect(detail.history.every((e) => e.actor === 'qingshi.admin')).toBe(true);
    expect(detail.duties.map((d) => d.version)).toEqual([2, 1]);
    const first = await api.get('/town/posts/flood_patrol/duties/1');
    expect(first.body).toMatchObject({ version: 1, text: '汛期每日巡查河堤。', effectiveFrom: '2026-12-01' });
    expect(code(await api.get('/town/posts/flood_patrol/duties/9'))).toEqual([404, 'duties.not_found']);
    expect((await api.get('/town/posts/flood_patrol/duties/0')).status).toBe(400);
    expect(code(await api.get('/town/posts/nowhere'))).toEqual([404, 'post.not_found']);
    // The new post is offered to appointments: the town's configuration lists it.
    const config = (await api.get('/town/config')).body as { posts: Array<{ id: string }> };
    expect(config.posts.map((p) => p.id)).toContain('flood_patrol');
  });

  it('refuses to retire a post a coordinator holds; retires one nobody holds, hides it from coverage and appointments, restores it', async () => {
    const api = as(admin);
    const posts = await catalogue();
    const version = (id: string) => posts.find((p) => p.postId === id)?.version ?? 0;
    // The demo team holds the mediator's post in qingshi-sq.
    const held = await api.patch('/town/posts/mediator', { version: version('mediator'), retired: true });
    expect(code(held)).toEqual([409, 'post.held']);
    expect(((await api.get('/town/posts/mediator')).body as Detail).post.retired).toBe(false);

    // Nobody holds the petition agent's post in the demo town.
    const before = (await api.get('/town/communities/qingshi-sq/coverage')).body as { posts: Array<{ id: string }>; postsUnheld: string[] };
    expect(before.postsUnheld).toContain('petition_agent');
    const retired = await api.patch('/town/posts/petition_agent', { version: version('petition_agent'), retired: true });
    expect(retired.body).toMatchObject({ retired: true });
    const after = (await api.get('/town/communities/qingshi-sq/coverage')).body as { posts: Array<{ id: string }>; postsUnheld: string[] };
    expect(after.posts.map((p) => p.id)).not.toContain('petition_agent');
    expect(after.postsUnheld).not.toContain('petition_agent');
    expect(after.posts).toHaveLength(before.posts.length - 1);
    // A retired post has no new duties and is refused to a new appointment.
    const v = (retired.body as Post).version;
    expect(code(await api.put('/town/posts/petition_agent/duties', { version: 1, text: '新职责。', effectiveFrom: '2027-01-01' }))).toEqual(
      [409, 'post.retired'],
    );
    const id = (
      (
        await api.post('/town/team', {
          name: '马兰',
          communityId: 'qingshi-sq',
          recommendedBy: '居民代表会议',
          on: '2026-11-01',
          votes: 9,
          method: 'votes',
        })
      ).body as { coordinatorId: string }
    ).coordinatorId;
    await api.post(`/town/team/${id}/override`, { step: 'inspect', reason: '县里统一考察' });
    await api.post(`/town/team/${id}/override`, { step: 'train', reason: '县里统一培训' });
    const appoint = await api.post(`/town/team/${id}/appoint`, {
      on: '2026-12-02',
      gridIds: ['qs-g3'],
      postIds: ['petition_agent'],
      documentNo: 'D-1',
    });
    expect(code(appoint)).toEqual([400, 'team.unknown_post']);
    expect(((await api.get('/town/config')).body as { posts: Array<{ id: string }> }).posts.map((p) => p.id)).not.toContain(
      'petition_agent',
    );

    const restored = await api.patch('/town/posts/petition_agent', { version: v, retired: false });
    expect(restored.body).toMatchObject({ retired: false, version: v + 1 });
    expect(((await api.get('/town/posts/petition_agent')).body as Detail).history.map((e) => e.kind).slice(-2)).toEqual([
      'retired',
      'restored',
    ]);
    expect(
      (await api.post(`/town/team/${id}/appoint`, { on: '2026-12-02', gridIds: ['qs-g3'], postIds: ['petition_agent'], documentNo: 'D-1' }))
        .status,
    ).toBe(200);
  });

  it('lets only a town admin change the catalogue', async () => {
    for (const username of ['qingshi.grid1', 'qingshi.station1', 'qingshi.auditor']) {
      const api = as(await stack.token(username));
      expect((await api.get('/town/posts/mediator')).status).toBe(200);
      expect(code(await api.post('/town/posts', { postId: 'x_post', label: { zh: '某', en: 'X' } }))[0]).toBe(403);
      expect((await api.patch('/town/posts/mediator', { version: 1, label: { zh: '某', en: 'X' } })).status).toBe(403);
      expect((await api.put('/town/posts/mediator/duties', { version: 1, text: '改写。', effectiveFrom: '2027-01-01' })).status).toBe(403);
    }
    // Nothing changed.
    expect(((await as(admin).get('/town/posts/mediator')).body as Detail).post.dutiesVersion).toBe(1);
  });

  it('reads the coverage matrix of a community of 10 grids and 7 posts, all held, in two Queries and the coverage item', async () => {
    // The catalogue back to the seven posts in use: the post added above is retired (nobody holds it).
    const added = (await catalogue()).find((p) => p.postId === 'flood_patrol');
    expect((await as(admin).patch('/town/posts/flood_patrol', { version: added?.version, retired: true })).status).toBe(200);
    const { communityId, gridIds } = await staffedCommunity(stack.call, admin, { name: '覆盖社区', code: 'CV', grids: 10 });
    const seen: CommandObservation[] = [];
    const stop = observeCommands((o) => seen.push(o));
    const res = await as(admin).get(`/town/communities/${communityId}/coverage`).finally(stop);
    expect(res.status).toBe(200);
    const m = res.body as {
      posts: Array<{ id: string }>;
      grids: Array<{ gridId: string; cells: Record<string, unknown[]> }>;
      postsUnheld: string[];
      gridsWithoutResponsible: string[];
    };
    expect(m.grids.map((g) => g.gridId)).toEqual([...gridIds].sort());
    expect(m.postsUnheld).toEqual([]);
    expect(m.posts.map((p) => p.id)).toEqual(DEFAULT_POSTS.map((p) => p.id));
    expect(m.gridsWithoutResponsible).toEqual([]);
    expect(m.grids.every((g) => Object.values(g.cells).every((c) => c.length === 1))).toBe(true);

    const k = townKeys('qingshi');
    const ops = seen.map((o) => `${o.operation} ${o.partitionKeys.join(',')}`);
    // The town status (every town request), the community's coverage item, then one Query of the grids
    // and one of the post catalogue: nothing per grid, per post or per coordinator.
    expect(ops.filter((o) => o.startsWith('Query')).sort()).toEqual([`Query ${k.orgPk}`, `Query ${k.postsPk}`]);
    expect(ops.filter((o) => o.startsWith('GetItem')).sort()).toEqual([`GetItem ${k.meta().pk}`, `GetItem ${k.teamCoveragePk}`]);
    expect(seen).toHaveLength(4);
  });

  it('keeps the county figures of posts held and unheld equal to a recount as the catalogue changes', async () => {
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
    expect(before.posts_held).toBeGreaterThan(0);
    expect(before.posts_unheld).toBeGreaterThan(0);
    // One more post in use: one more unheld post in every community; retired again, back as before.
    const added = await as(admin).post('/town/posts', { postId: 'metric_post', label: { zh: '统计岗', en: 'Metric post' } });
    const more = await figures();
    expect((more.posts_unheld ?? 0) - (before.posts_unheld ?? 0)).toBe(before.communities);
    expect(more.posts_held).toBe(before.posts_held);
    await as(admin).patch('/town/posts/metric_post', { version: (added.body as Post).version, retired: true });
    expect((await figures()).posts_unheld).toBe(before.posts_unheld);
    // The reconcile job recounts the posts in use from the catalogue: no drift.
    const r = await stack.call('POST', '/town/reconcile', { token: admin, body: {} });
    expect(r.status).toBe(200);
    expect((r.body as { driftCount: number }).driftCount).toBe(0);
  });
});
