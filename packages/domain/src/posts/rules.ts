import { AppError } from '../errors';
import type { Label } from '../defaults';
import type { ChangePost, DutiesVersion, NewDuties, NewPost } from './api';

/**
 * The post catalogue's rules (定岗定责), pure: each takes the catalogue (or the post) as read and
 * refuses with an AppError or returns what to save, the one history event and the audit action.
 * `@gridline/data` (posts/) turns a plan into one transaction.
 */

/** A post as the store keeps it: its view plus its place in the catalogue. */
export type Post = {
  postId: string;
  label: Label;
  retired: boolean;
  version: number;
  dutiesVersion: number;
  /** The catalogue's order: the seven defaults 1–7, each post added after the last. */
  rank: number;
  createdAt: string;
  updatedAt: string;
};

/** The most posts a town's catalogue holds, retired ones included (an appointment names at most 7). */
export const MAX_POSTS = 30;

export type PostEvent = { kind: 'added' | 'renamed' | 'retired' | 'restored' | 'duties'; details: Record<string, unknown> };

export type PostPlan = {
  /** The post before (absent when added) and after. */
  before?: Post;
  after: Post;
  events: PostEvent[];
  /** The change of the number of posts in use (the TOWN counter `posts_active`: +1 added or restored, −1 retired). */
  active: number;
  audit: { action: string; details: Record<string, unknown> };
};

export type DutiesPlan = {
  post: Post;
  duties: DutiesVersion;
  event: PostEvent;
  audit: { action: string; details: Record<string, unknown> };
};

/** The posts a new appointment or transfer may name: the catalogue less retired posts. */
export const activePosts = <P extends { retired: boolean }>(catalogue: readonly P[]): P[] => catalogue.filter((p) => !p.retired);

const notFound = () => new AppError('post.not_found', 404, 'No such post in this town.');

/** Two posts in use may not share a name in either language: the matrix and the forms would show two alike. */
function refuseTakenLabel(catalogue: readonly Post[], label: Label, except?: string): void {
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const clash = catalogue.find((p) => p.postId !== except && !p.retired && (same(p.label.zh, label.zh) || same(p.label.en, label.en)));
  if (clash) throw new AppError('post.label_taken', 409, `The post "${clash.postId}" already has this name.`, { field: 'body.label' });
}

/** Adds a post to the catalogue: a new id, a name no post in use has, within the catalogue's size. */
export function planNewPost(catalogue: readonly Post[], body: NewPost, now: string): PostPlan {
  if (catalogue.some((p) => p.postId === body.postId))
    throw new AppError('post.exists', 409, 'A post with this id exists (perhaps retired: restore it instead).', { field: 'body.postId' });
  if (catalogue.length >= MAX_POSTS) throw new AppError('post.too_many', 422, `A town has at most ${MAX_POSTS} posts.`);
  refuseTakenLabel(catalogue, body.label);
  const after: Post = {
    postId: body.postId,
    label: { ...body.label },
    retired: false,
    version: 1,
    dutiesVersion: 0,
    rank: Math.max(0, ...catalogue.map((p) => p.rank)) + 1,
    createdAt: now,
    updatedAt: now,
  };
  return {
    after,
    events: [{ kind: 'added', details: { label: after.label } }],
    active: 1,
    audit: { action: 'post.add', details: { postId: body.postId } },
  };
}

/**
 * Renames, retires or restores a post at the version read. A post cannot be retired while an appointed
 * coordinator holds it (`heldBy`: their names, from the coverage of the communities): transfer them first.
 */
export function planPostChange(
  catalogue: readonly Post[],
  postId: string,
  body: ChangePost,
  now: string,
  heldBy: readonly string[],
): PostPlan {
  const before = catalogue.find((p) => p.postId === postId);
  if (!before) throw notFound();
  if (body.version !== before.version)
    throw new AppError('post.changed', 409, 'Someone else changed this post first; reload and try again.');
  const events: PostEvent[] = [];
  let after: Post = { ...before };
  if (body.label && (body.label.zh !== before.label.zh || body.label.en !== before.label.en)) {
    refuseTakenLabel(catalogue, body.label, postId);
    after = { ...after, label: { ...body.label } };
    events.push({ kind: 'renamed', details: { from: before.label, to: body.label } });
  }
  if (body.retired === true && !before.retired) {
    if (heldBy.length)
      throw new AppError('post.held', 409, `Coordinators still hold this post (${heldBy.join('、')}): transfer them first.`);
    after = { ...after, retired: true };
    events.push({ kind: 'retired', details: {} });
  } else if (body.retired === false && before.retired) {
    // A restored post comes back into use: its name may not clash with a post added meanwhile.
    refuseTakenLabel(catalogue, after.label, postId);
    after = { ...after, retired: false };
    events.push({ kind: 'restored', details: {} });
  }
  if (events.length === 0) throw new AppError('post.unchanged', 400, 'Nothing to change: the post is already so.');
  after = { ...after, version: before.version + 1, updatedAt: now };
  const active = after.retired === before.retired ? 0 : after.retired ? -1 : 1;
  return { before, after, events, active, audit: { action: 'post.change', details: { postId, changes: events.map((e) => e.kind) } } };
}

/**
 * A new version of a post's duties (定责): written against the duties version read (a concurrent edit
 * is refused, never overwritten), for a post in use, and different from the current text.
 */
export function planDuties(
  post: Post | undefined,
  current: DutiesVersion | undefined,
  body: NewDuties,
  actor: string,
  now: string,
): DutiesPlan {
  if (!post) throw notFound();
  if (body.version !== post.dutiesVersion)
    throw new AppError('duties.changed', 409, 'Someone else wrote these duties first; reload and try again.');
  if (post.retired) throw new AppError('post.retired', 409, 'This post is retired: restore it before writing its duties.');
  if (current && current.text === body.text && current.effectiveFrom === body.effectiveFrom)
    throw new AppError('duties.unchanged', 400, 'These duties are the same as the current version.', { field: 'body.text' });
  const version = post.dutiesVersion + 1;
  const duties: DutiesVersion = { version, text: body.text, effectiveFrom: body.effectiveFrom, by: actor, at: now };
  return {
    // The post's version moves too, so a rename read before this cannot put the old duties version back.
    post: { ...post, dutiesVersion: version, version: post.version + 1, updatedAt: now },
    duties,
    event: { kind: 'duties', details: { version, effectiveFrom: body.effectiveFrom } },
    audit: { action: 'post.duties', details: { postId: post.postId, version } },
  };
}

/** The names of coordinators holding `postId` in any of the coverage states given. */
export function holdersOf(
  coverage: ReadonlyArray<{ holders: Record<string, { name: string; postIds: string[] }> }>,
  postId: string,
): string[] {
  const names = new Set<string>();
  for (const c of coverage) for (const h of Object.values(c.holders)) if (h.postIds.includes(postId)) names.add(h.name);
  return [...names];
}
