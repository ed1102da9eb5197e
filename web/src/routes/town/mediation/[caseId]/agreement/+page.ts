import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { mediation } from '$lib/mediation/api';
import { canOpenMediation, canReadMediationFigures } from '$lib/mediation/types';
import { town } from '$lib/town/api';
import type { HierarchyView, TownMe } from '@gridline/domain';

type Names = { me: TownMe; hierarchy: HierarchyView | null };

/**
 * The agreement to print (调解协议书): the case, and the names its organisation's title is made of — the
 * town's from /town/me, and for staff the community and place from the org chart.
 */
export function load({ url, params }) {
  const session = requireRole(url, canOpenMediation);
  const staff = canReadMediationFigures(session.user.role);
  return {
    session,
    caseId: params.caseId,
    detail: started(mediation.get(params.caseId)),
    names: started<Names>(
      staff ? townContext().then((c) => ({ me: c.me, hierarchy: c.hierarchy })) : town.me().then((me) => ({ me, hierarchy: null })),
    ),
  };
}
