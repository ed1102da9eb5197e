import {
  AppError,
  type ChangePost,
  type CoverageState,
  type DutiesVersion,
  holdersOf,
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
import { commitChange, getItem, type Item, queryAll } from '../ops';
import { readCatalogue } from './catalogue';
import { postChanges } from './changes';
import { dutiesView, postEventView, postView, storedPost } from './items';

export { type PostChanges, postChanges } from './changes';
export { dutiesView, type PostItems, postEventView, postItems, postView, storedPost } from './items';
export { type Catalogue, coverageColumns, postsInUse, readCatalogue, UNDATED } from './catalogue';

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
