import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { CORRECTION_TABS, canReadCorrections } from '$lib/visits/admin';
import { visitAdmin } from '$lib/visits/api';
import type { CorrectionStatus } from '@gridline/domain';

/** Book corrections proposed from visits, one status at a time (`?status=`, open by default). */
export function load({ url }) {
  const session = requireRole(url, canReadCorrections);
  const asked = url.searchParams.get('status');
  const status: CorrectionStatus = CORRECTION_TABS.find((s) => s === asked) ?? 'open';
  return { session, status, context: started(townContext()), page: started(visitAdmin.corrections(status)) };
}
