import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { mediation } from '$lib/mediation/api';
import { intakePrefill } from '$lib/mediation/intake';
import { canTakeInDisputes } from '$lib/mediation/types';

/**
 * Intake (受理矛盾纠纷): the grids the caller may take cases in, the dispute types the town uses, and what
 * a link (from a matter: `?matterId=&gridId=`) starts the form with.
 */
export function load({ url }) {
  const session = requireRole(url, canTakeInDisputes);
  return {
    session,
    context: started(townContext()),
    settings: started(mediation.settings()),
    prefill: intakePrefill(url.searchParams),
  };
}
