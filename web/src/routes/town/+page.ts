import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/guard';
import { townStart } from '$lib/town/api';
import { canSeeStaff, isTownRole } from '@gridline/domain/rules';

export function load({ url }) {
  const session = requireRole(url, isTownRole);
  // An invited outside participant may call none of the overview's routes: their home is their cases.
  if (session.user.role === 'participant') redirect(307, '/town/mediation');
  return { session, start: townStart(canSeeStaff(session.user.role)) };
}
