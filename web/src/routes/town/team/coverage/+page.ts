import { townContext } from '$lib/book/context';
import { started } from '$lib/load';
import { team } from '$lib/team/api';
import { guardTeam } from '$lib/team/guard';

/** The town context and, when the address names a community (?community=), its coverage matrix. */
export function load({ url }) {
  const session = guardTeam(url);
  const communityId = url.searchParams.get('community') ?? '';
  return { session, communityId, context: started(townContext()), coverage: communityId ? started(team.coverage(communityId)) : null };
}
