import { started } from '$lib/load';
import { posts } from '$lib/posts/api';
import { guardTeam } from '$lib/team/guard';

/** The post catalogue (定岗) with each post's current duties (a town has a handful of posts). */
export function load({ url }) {
  const session = guardTeam(url);
  return { session, catalogue: started(posts.catalogue()) };
}
