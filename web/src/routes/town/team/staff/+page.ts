import { townContext } from '$lib/book/context';
import { requireRole } from '$lib/guard';
import { started } from '$lib/load';
import { staff } from '$lib/staff/api';
import { canSeeStaff } from '@gridline/domain/rules';

/** Who may read the staff (town admins, auditors); the town context (community names) and the whole staff list. */
export function load({ url }) {
  const session = requireRole(url, canSeeStaff);
  return { session, context: started(townContext()), list: started(staff.all()) };
}
