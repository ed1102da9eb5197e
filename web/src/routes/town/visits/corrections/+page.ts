import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { canReadCorrections } from '$lib/visits/admin';
import { visitAdmin } from '$lib/visits/admin-api';
import { CORRECTION_STATUSES, type CorrectionStatus } from '@gridline/domain';

/** Book corrections proposed from visits, one status at a time (`?status=`, open by default). */
export function load({ url }) {
  const session = requireRole(url, canReadCorrections);
  const asked = url.searchParams.get('status');
  const status: CorrectionStatus = CORRECTION_STATUSES.find((s) => s === asked) ?? 'open';
  return { session, status, context: started(townContext()), page: started(visitAdmin.corrections(status)) };
}
