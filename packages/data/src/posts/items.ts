import type { DutiesVersion, Post, PostEventView, PostView } from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/**
 * The items of one town's post catalogue (keys from `keys.ts`, the block marked "Posts"): a post, its
 * current duties beside it in the catalogue's partition, and in the post's log partition its history
 * entries and every duties version.
 */
export function postItems(townId: string) {
  const k = townKeys(townId);
  return {
    keys: k,
    /** `status` mirrors `retired` so a transaction's `check` (not retired) can guard on it. */
    post: (p: Post): Item & Key => ({ ...k.post(p.postId), type: 'Post', ...p, status: p.retired ? 'retired' : 'active' }),
    current: (postId: string, d: DutiesVersion): Item & Key => ({ ...k.postDuties(postId), type: 'PostDuties', postId, ...d }),
    version: (postId: string, d: DutiesVersion): Item & Key => ({
      ...k.postDutiesVersion(postId, d.version),
      type: 'PostDutiesVersion',
      postId,
      ...d,
    }),
    event: (postId: string, at: string, eventId: string, actor: string, kind: string, details: Item): Item & Key => ({
      ...k.postEvent(postId, at, eventId),
      type: 'PostEvent',
      postId,
      eventId,
      at,
      actor,
      kind,
      details,
    }),
  };
}
export type PostItems = ReturnType<typeof postItems>;

export const storedPost = (item: Item): Post => {
  const { postId, label, retired, version, dutiesVersion, rank, createdAt, updatedAt } = publicFields<Post>(item);
  return { postId, label, retired: retired === true, version, dutiesVersion: dutiesVersion ?? 0, rank: rank ?? 0, createdAt, updatedAt };
};
export const postView = (p: Post): PostView => {
  const { rank: _rank, ...view } = p;
  return view;
};
export const dutiesView = (item: Item): DutiesVersion => {
  const { version, text, effectiveFrom, by, at } = publicFields<DutiesVersion>(item);
  return { version, text, effectiveFrom, by, at };
};
export const postEventView = (item: Item): PostEventView => {
  const { eventId, at, actor, kind, details } = publicFields<PostEventView>(item);
  return { eventId, at, actor, kind, details };
};
