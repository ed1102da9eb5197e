import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { computeMetrics } from '../metrics';
import { activePosts, holdersOf, MAX_POSTS, type Post, planDuties, planNewPost, planPostChange } from './rules';

const NOW = '2026-12-05T08:00:00.000Z';
const post = (postId: string, o: Partial<Post> = {}): Post => ({
  postId,
  label: { zh: `${postId}员`, en: `${postId} officer` },
  retired: false,
  version: 1,
  dutiesVersion: 0,
  rank: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...o,
});
const catalogue = [post('mediator', { rank: 1 }), post('sanitation', { rank: 2 }), post('old', { rank: 3, retired: true })];

const refused = (f: () => unknown, code: string, status: number) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    expect((e as AppError).status).toBe(status);
    return;
  }
  throw new Error(`expected ${code}`);
};

describe('adding a post', () => {
  it('adds it after the last, at version 1 with no duties, and records the event', () => {
    const plan = planNewPost(catalogue, { postId: 'flood', label: { zh: '防汛员', en: 'Flood warden' } }, NOW);
    expect(plan.after).toMatchObject({ postId: 'flood', rank: 4, version: 1, dutiesVersion: 0, retired: false });
    expect(plan.before).toBeUndefined();
    expect(plan.events.map((e) => e.kind)).toEqual(['added']);
  });

  it('refuses an id taken (retired posts included), a name in use, and a full catalogue', () => {
    refused(() => planNewPost(catalogue, { postId: 'old', label: { zh: '新', en: 'New' } }, NOW), 'post.exists', 409);
    refused(() => planNewPost(catalogue, { postId: 'x2', label: { zh: 'mediator员', en: 'Other' } }, NOW), 'post.label_taken', 409);
    refused(() => planNewPost(catalogue, { postId: 'x2', label: { zh: '别的', en: 'MEDIATOR officer' } }, NOW), 'post.label_taken', 409);
    // A retired post's name is free again.
    expect(planNewPost(catalogue, { postId: 'x3', label: { zh: 'old员', en: 'Old officer' } }, NOW).after.postId).toBe('x3');
    const full = Array.from({ length: MAX_POSTS }, (_, i) => post(`p${i}`, { label: { zh: `${i}`, en: `${i}` } }));
    refused(() => planNewPost(full, { postId: 'one_more', label: { zh: '多', en: 'More' } }, NOW), 'post.too_many', 422);
  });
});

describe('changing a post', () => {
  it('renames at the version read, bumping it, with the old and new names in the event', () => {
    const plan = planPostChange(catalogue, 'mediator', { version: 1, label: { zh: '调解员', en: 'Mediator' } }, NOW, []);
    expect(plan.after).toMatchObject({ label: { zh: '调解员', en: 'Mediator' }, version: 2 });
    expect(plan.events).toEqual([{ kind: 'renamed', details: { from: catalogue[0]?.label, to: { zh: '调解员', en: 'Mediator' } } }]);
  });

  it('refuses a stale version, an unknown post, and a change that changes nothing', () => {
    refused(() => planPostChange(catalogue, 'mediator', { version: 3, retired: true }, NOW, []), 'post.changed', 409);
    refused(() => planPostChange(catalogue, 'nope', { version: 1, retired: true }, NOW, []), 'post.not_found', 404);
    refused(() => planPostChange(catalogue, 'mediator', { version: 1, retired: false }, NOW, []), 'post.unchanged', 400);
  });

  it('retires a post nobody holds, refuses while someone does, and restores it', () => {
    refused(() => planPostChange(catalogue, 'mediator', { version: 1, retired: true }, NOW, ['王芳']), 'post.held', 409);
    const retired = planPostChange(catalogue, 'mediator', { version: 1, retired: true }, NOW, []);
    expect(retired.after).toMatchObject({ retired: true, version: 2 });
    expect(activePosts([retired.after, ...catalogue.slice(1)]).map((p) => p.postId)).toEqual(['sanitation']);
    const restored = planPostChange(catalogue, 'old', { version: 1, retired: false }, NOW, []);
    expect(restored.events.map((e) => e.kind)).toEqual(['restored']);
    expect(restored.after.retired).toBe(false);
  });
});

describe('duties', () => {
  it('writes version 1, then 2 against the version read, moving the post version', () => {
    const first = planDuties(catalogue[0], undefined, { version: 0, text: '调解纠纷', effectiveFrom: '2026-12-01' }, 'admin', NOW);
    expect(first.duties).toEqual({ version: 1, text: '调解纠纷', effectiveFrom: '2026-12-01', by: 'admin', at: NOW });
    expect(first.post).toMatchObject({ dutiesVersion: 1, version: 2 });
    const second = planDuties(first.post, first.duties, { version: 1, text: '调解纠纷，上报', effectiveFrom: '2027-01-01' }, 'admin', NOW);
    expect(second.duties.version).toBe(2);
  });

  it('refuses a stale duties version, a retired post, an unknown post and an unchanged text', () => {
    const body = { version: 0, text: 't', effectiveFrom: '2026-12-01' };
    refused(() => planDuties(catalogue[0], undefined, { ...body, version: 1 }, 'a', NOW), 'duties.changed', 409);
    refused(() => planDuties(catalogue[2], undefined, body, 'a', NOW), 'post.retired', 409);
    refused(() => planDuties(undefined, undefined, body, 'a', NOW), 'post.not_found', 404);
    const cur = { version: 1, text: 't', effectiveFrom: '2026-12-01', by: 'a', at: NOW };
    refused(() => planDuties(post('m', { dutiesVersion: 1 }), cur, { ...body, version: 1 }, 'a', NOW), 'duties.unchanged', 400);
  });
});

describe('holdersOf', () => {
  it('names the coordinators holding a post across communities, once each', () => {
    const c1 = { holders: { a: { name: '甲', postIds: ['mediator'] }, b: { name: '乙', postIds: ['sanitation'] } } };
    const c2 = { holders: { c: { name: '丙', postIds: ['mediator', 'sanitation'] } } };
    expect(holdersOf([c1, c2], 'mediator')).toEqual(['甲', '丙']);
    expect(holdersOf([c1, c2], 'flood')).toEqual([]);
  });
});

describe('the county figure of posts unheld', () => {
  it('is every community × every post in use, less the posts held, from the counters alone', () => {
    expect(computeMetrics({ communities: 3, posts_active: 7, team_posts_held: 12 }, []).posts_unheld).toBe(9);
    // Adding a post opens one unheld post in each community; retiring one nobody holds closes them.
    expect(computeMetrics({ communities: 3, posts_active: 8, team_posts_held: 12 }, []).posts_unheld).toBe(12);
    expect(computeMetrics({}, []).posts_unheld).toBe(0);
  });

  it('moves the count of posts in use as a post is added, retired and restored', () => {
    expect(planNewPost(catalogue, { postId: 'flood', label: { zh: '防汛员', en: 'Flood warden' } }, NOW).active).toBe(1);
    expect(planPostChange(catalogue, 'mediator', { version: 1, retired: true }, NOW, []).active).toBe(-1);
    expect(planPostChange(catalogue, 'old', { version: 1, retired: false }, NOW, []).active).toBe(1);
    expect(planPostChange(catalogue, 'mediator', { version: 1, label: { zh: '调解员', en: 'Mediator' } }, NOW, []).active).toBe(0);
  });
});
