import { townContext } from '$lib/book/context';
import { guardTeam } from '$lib/team/guard';
import { started } from '$lib/load';
import { team } from '$lib/team/api';

/** The town context (community names) and the whole team list (a town's team is a few dozen people). */
export function load({ url }) {
  const session = guardTeam(url);
  return { session, context: started(townContext()), list: started(team.all()) };
}
