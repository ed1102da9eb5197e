import { townContext } from '$lib/book/context';
import { isTownStaff, requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { team } from '$lib/team/api';

/** Who to call, for every role of the town: the town context and, when the address names a community (?community=), its directory. */
export function load({ url }) {
  const session = requireRole(url, isTownStaff);
  const communityId = url.searchParams.get('community') ?? '';
  return { session, communityId, context: started(townContext()), contacts: communityId ? started(team.contacts(communityId)) : null };
}
