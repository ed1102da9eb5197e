import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { mediation } from '$lib/mediation/api';
import { canOpenMediation, canReadMediationFigures } from '$lib/mediation/types';

/** A case's page: the case, its timeline, invitations and the caller's steps; for staff, the org chart to name its place. */
export function load({ url, params }) {
  const session = requireRole(url, canOpenMediation);
  return {
    session,
    caseId: params.caseId,
    detail: started(mediation.get(params.caseId)),
    context: canReadMediationFigures(session.user.role) ? started(townContext()) : null,
  };
}
