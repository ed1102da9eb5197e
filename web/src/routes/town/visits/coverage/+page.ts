import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { canSeeCoverage } from '$lib/visits/admin';
import { visitAdmin } from '$lib/visits/api';

/**
 * Coverage: the town's communities (`?community=` picks one community's grids). Staff of a community
 * (and auditors of some communities) start at their first community's grids, which needs their scope;
 * a coordinator reads their own grids.
 */
export function load({ url }) {
  const session = requireRole(url, canSeeCoverage);
  const asked = url.searchParams.get('community') ?? '';
  const context = started(townContext());
  const coverage =
    asked || session.user.role === 'town_admin' || session.user.role === 'grid_coordinator'
      ? visitAdmin.coverage(asked || undefined)
      : context.then((c) => visitAdmin.coverage(c.me.user.scope.communities[0]));
  return { session, asked, context, coverage: started(coverage) };
}
