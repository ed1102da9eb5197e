import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { mediation } from '$lib/mediation/api';
import { canSetUpMediation } from '$lib/mediation/types';

/** The town's mediation settings (town admins): the follow-up days after signing and the dispute types in use. */
export function load({ url }) {
  const session = requireRole(url, canSetUpMediation);
  return { session, settings: started(mediation.settings()) };
}
