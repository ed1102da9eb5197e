import { started } from '$lib/load';
import { posts } from '$lib/posts/api';
import { guardTeam } from '$lib/team/guard';

/** One post: its current duties, every version of them and the history of the post. */
export function load({ url, params }) {
  const session = guardTeam(url);
  return { session, postId: params.postId, detail: started(posts.get(params.postId)) };
}
