import { DEFAULT_POSTS, type Post, planDuties, planNewPost, planPostChange } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import type { Write } from '../ops';
import { postChanges } from './changes';

// Transaction builders are pure: these tests look at the writes and counter moves they produce, without
// DynamoDB (posts.dynamo.test.ts commits the same changes to DynamoDB Local).

const NOW = '2026-12-05T08:00:00.000Z';
const changes = postChanges('qingshi', 'qingshi.admin');
const keyOf = (w: Write) => ('item' in w ? { pk: w.item.pk, sk: w.item.sk } : w.key);
const shape = (writes: Write[]) => writes.map((w) => `${w.kind} ${keyOf(w).sk}`);
const catalogue: Post[] = DEFAULT_POSTS.map((p, i) => ({
  postId: p.id,
  label: p.label,
  retired: false,
  version: 1,
  dutiesVersion: 0,
  rank: i + 1,
  createdAt: NOW,
  updatedAt: NOW,
}));

describe('postChange', () => {
  it('creates a new post with its history entry, audit and the count of posts in use', () => {
    const plan = planNewPost(catalogue, { postId: 'flood', label: { zh: '防汛员', en: 'Flood warden' } }, NOW);
    const c = changes.postChange(plan, NOW);
    expect(shape(c.writes)).toEqual(['create P#flood', expect.stringMatching(/^put E#2026-12-05T08:00:00.000Z#/)]);
    expect(c.writes[0]).toMatchObject({ conflictCode: 'post.exists', item: { pk: 'T#qingshi#POSTS', status: 'active', rank: 8 } });
    expect(c.audit.map((a) => a.action)).toEqual(['post.add']);
    expect(c.counters).toEqual([{ key: { pk: 'T#qingshi#COUNT', sk: 'TOWN' }, deltas: { posts_active: 1 } }]);
  });

  it('replaces a stored post at the version read; retiring moves the count down', () => {
    const plan = planPostChange(catalogue, 'sanitation', { version: 1, retired: true }, NOW, []);
    const c = changes.postChange(plan, NOW);
    expect(c.writes[0]).toMatchObject({ kind: 'replace', version: 1, item: { sk: 'P#sanitation', status: 'retired', version: 2 } });
    expect(c.counters).toEqual([{ key: { pk: 'T#qingshi#COUNT', sk: 'TOWN' }, deltas: { posts_active: -1 } }]);
  });

  it('stores the whole catalogue of a town from before it, counting its posts in use, on its first change', () => {
    const plan = planPostChange(catalogue, 'sanitation', { version: 1, retired: true }, NOW, []);
    const c = changes.postChange(plan, NOW, catalogue);
    const creates = c.writes.filter((w) => w.kind === 'create').map((w) => keyOf(w).sk);
    expect(creates.sort()).toEqual(DEFAULT_POSTS.map((p) => `P#${p.id}`).sort());
    expect(c.counters).toEqual([{ key: { pk: 'T#qingshi#COUNT', sk: 'TOWN' }, deltas: { posts_active: 6 } }]);
  });
});

describe('dutiesChange', () => {
  it('creates the version item, replaces the current copy and moves the post at the version read', () => {
    const post = catalogue[0] as Post;
    const plan = planDuties(post, undefined, { version: 0, text: '调解纠纷。', effectiveFrom: '2026-12-01' }, 'qingshi.admin', NOW);
    const c = changes.dutiesChange(plan, post, NOW);
    expect(shape(c.writes).slice(0, 3)).toEqual(['create V#000001', 'put D#mediator', 'replace P#mediator']);
    expect(c.writes[0]).toMatchObject({ conflictCode: 'duties.changed', item: { pk: 'T#qingshi#POSTLOG#mediator', text: '调解纠纷。' } });
    expect(c.writes[2]).toMatchObject({ version: 1, item: { version: 2, dutiesVersion: 1 } });
    expect(c.counters).toEqual([]);
  });
});
