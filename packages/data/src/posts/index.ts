import {
  AppError,
  type ChangePost,
  type CoverageState,
  DEFAULT_POSTS,
  type DutiesVersion,
  holdersOf,
  type Label,
  type NewDuties,
  type NewPost,
  type Post,
  type PostCatalogue,
  type PostDetail,
  type PostWithDuties,
  planDuties,
  planNewPost,
  planPostChange,
  type TownPrincipal,
} from '@gridline/domain';
import { townKeys } from '../keys';
import { commitChange, getItem, type Item, queryAll } from '../ops';
import { postChanges } from './changes';
import { dutiesView, postEventView, postView, storedPost } from './items';

export { type PostChanges, postChanges } from './changes';
export { dutiesView, type PostItems, postEventView, postItems, postView, storedPost } from './items';

/**
 * When the posts of a town provisioned before the catalogue had items of its own were created: not
 * known (its configuration kept no date), so a fixed day before any town of Gridline.
 */
export const UNDATED = '2026-01-01T00:00:00.000Z';

/** The catalogue as read: the posts in order, the current duties of each, and whether it is stored yet. */
export type Catalogue = { posts: Post[]; duties: Map<string, DutiesVersion>; stored: boolean };

const byRank = (a: Post, b: Post) => a.rank - b.rank || a.postId.localeCompare(b.postId);

/**
 * A town's post catalogue: ONE Query of its partition (the posts alone, or with their current duties).
 * A town provisioned before the catalogue had items reads the posts of its configuration instead (one
 * more read, until its first change stores them).
 */
export async function readCatalogue(townId: string, opts: { consistent?: boolean; duties?: boolean } = {}): Promise<Catalogue> {
  const k = townKeys(townId);
  const found = await queryAll<Item>(k.postsPk, opts.duties ? undefined : 'P#', { consistent: opts.consistent ?? false });
  const posts = found.filter((i) => i.type === 'Post').map(storedPost);
  const duties = new Map(found.filter((i) => i.type === 'PostDuties').map((i) => [String(i.postId), dutiesView(i)] as const));
  if (posts.length) return { posts: posts.sort(byRank), duties, stored: true };
  const config = await getItem<{ value?: Array<{ id: string; label: Label }> }>(k.config('posts'), {
    consistent: opts.consistent ?? false,
  });
  const legacy = config?.value ?? [...DEFAULT_POSTS];
  return {
    posts: legacy.map((p, i) => ({
      postId: p.id,
      label: { ...p.label },
      retired: false,
      version: 1,
      dutiesVersion: 0,
      rank: i + 1,
      createdAt: UNDATED,
      updatedAt: UNDATED,
    })),
    duties,
    stored: false,
  };
}

/** The posts in use (not retired), as the team's forms and rules name them: `{ id, label }`. */
export async function postsInUse(townId: string): Promise<Array<{ id: string; label: Label }>> {
  const { posts } = await readCatalogue(townId);
  return posts.filter((p) => !p.retired).map((p) => ({ id: p.postId, label: p.label }));
}

/**
 * The columns of a community's coverage matrix: the posts in use, and a retired post only while the
 * community's coverage still names a holder of it (retiring a held post is refused, but a town's
 * records from before that rule may hold one): the matrix never hides someone's post.
 */
export function coverageColumns(
  posts: readonly Post[],
  state: Pick<CoverageState, 'holders'> | undefined,
): Array<{ id: string; label: Label }> {
  const held = new Set(Object.values(state?.holders ?? {}).flatMap((h) => h.postIds));
  return posts.filter((p) => !p.retired || held.has(p.postId)).map((p) => ({ id: p.postId, label: p.label }));
}

/**
 * The post catalogue of one town as one caller uses it (`@gridline/data/posts`): the catalogue with the
 * current duties, one post with its history and duties versions, adding, renaming, retiring and
 * restoring a post and writing a new duties version. Each change is one transaction (changes.ts).
 */
export function postsOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const changes = postChanges(townId, principal.username);
  const k = changes.items.keys;
  const withDuties = (p: Post, duties: DutiesVersion | undefined): PostWithDuties => ({ ...postView(p), duties: duties ?? null });
  const notFound = () => new AppError('post.not_found', 404, 'No such post in this town.');

  return {
    /** The catalogue, each post with its current duties: one Query. */
    async catalogue(): Promise<PostCatalogue> {
      const c = await readCatalogue(townId, { duties: true });
      return { posts: c.posts.map((p) => withDuties(p, c.duties.get(p.postId))) };
    },

    /** One post, its history (oldest first) and its duties versions (newest first): one read and one Query. */
    async get(postId: string): Promise<PostDetail> {
      const [item, log] = await Promise.all([getItem<Item>(k.post(postId)), queryAll<Item>(k.postLogPk(postId))]);
      // A town whose catalogue is not stored yet reads its configuration's posts.
      const post = item ? storedPost(item) : (await readCatalogue(townId)).posts.find((p) => p.postId === postId);
      if (!post) throw notFound();
      const versions = log
        .filter((i) => i.type === 'PostDutiesVersion')
        .map(dutiesView)
        .sort((a, b) => b.version - a.version);
      return {
        post: withDuties(
          post,
          versions.find((v) => v.version === post.dutiesVersion),
        ),
        history: log.filter((i) => i.type === 'PostEvent').map(postEventView),
        duties: versions,
      };
    },

    /** One version of a post's duties. */
    async dutiesVersion(postId: string, version: number): Promise<DutiesVersion> {
      const item = await getItem<Item>(k.postDutiesVersion(postId, version));
      if (!item) throw new AppError('duties.not_found', 404, 'This post has no such version of its duties.');
      return dutiesView(item);
    },

    /** Adds a post to the catalogue. */
    async add(body: NewPost, now: string): Promise<PostWithDuties> {
      const c = await readCatalogue(townId, { consistent: true });
      const plan = planNewPost(c.posts, body, now);
      await commitChange(changes.postChange(plan, now, c.stored ? undefined : c.posts));
      return withDuties(plan.after, undefined);
    },

    /** Renames, retires or restores a post at the version read; retiring reads who holds it, in every community. */
    async change(postId: string, body: ChangePost, now: string): Promise<PostWithDuties> {
      const [c, coverage] = await Promise.all([
        readCatalogue(townId, { consistent: true, duties: true }),
        body.retired === true ? queryAll<CoverageState & Item>(k.teamCoveragePk, undefined, { consistent: true }) : [],
      ]);
      const plan = planPostChange(c.posts, postId, body, now, holdersOf(coverage, postId));
      await commitChange(changes.postChange(plan, now, c.stored ? undefined : c.posts));
      return withDuties(plan.after, c.duties.get(postId));
    },

    /** Writes a new version of a post's duties, against the version read. */
    async writeDuties(postId: string, body: NewDuties, now: string): Promise<PostWithDuties> {
      const c = await readCatalogue(townId, { consistent: true, duties: true });
      const before = c.posts.find((p) => p.postId === postId);
      const plan = planDuties(before, c.duties.get(postId), body, principal.username, now);
      await commitChange(changes.dutiesChange(plan, before as Post, now, c.stored ? undefined : c.posts));
      return withDuties(plan.post, plan.duties);
    },
  };
}
export type Posts = ReturnType<typeof postsOf>;
