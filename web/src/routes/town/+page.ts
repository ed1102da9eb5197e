import { requireRole } from '$lib/guard';
import { townStart } from '$lib/town/api';
import { canSeeStaff, isTownRole } from '@gridline/domain/rules';

export function load({ url }) {
  const session = requireRole(url, isTownRole);
  return { session, start: townStart(canSeeStaff(session.user.role)) };
}
