import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { mediation } from '$lib/mediation/api';
import { canOpenMediation, canReadMediationFigures } from '$lib/mediation/types';

/**
 * The case list (矛盾纠纷调解): who the caller is; for staff, the org chart (to name the grids) and the
 * month's figures. An invited participant gets neither: those routes are the town staff's.
 */
export function load({ url }) {
  const session = requireRole(url, canOpenMediation);
  const staff = canReadMediationFigures(session.user.role);
  return {
    session,
    context: staff ? started(townContext()) : null,
    summary: staff ? started(mediation.summary()) : null,
  };
}
