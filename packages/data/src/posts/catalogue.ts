import { type CoverageState, DEFAULT_POSTS, type DutiesVersion, type Label, type Post } from '@gridline/domain';
import { townKeys } from '../keys';
import { getItem, type Item, queryAll } from '../ops';
import { dutiesView, storedPost } from './items';

/*
 * Reading a town's post catalogue, apart from the catalogue's changes: the town's configuration and the
 * team read it on requests that never change a post, so they do not load the posts' rules.
 */

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
