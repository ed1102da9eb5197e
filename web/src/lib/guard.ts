import { redirect } from '@sveltejs/kit';
import { currentSession, homePath, type Session } from './session';
import { type Role, TOWN_STAFF_ROLES } from '@gridline/domain/rules';

/**
 * For a page's `load`: the session if its role may see the page. Without a session the user goes to
 * the login page (and comes back afterwards); with the wrong role, to their own home.
 */
export function requireRole(url: URL, allowed: (role: Role) => boolean): Session {
  const s = currentSession();
  if (!s) redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (!allowed(s.user.role)) redirect(307, homePath(s));
  return s;
}

/**
 * Whether a role is one of the town's own staff: every town role but an invited outside participant, who
 * reaches their mediation cases and nothing else (the town's pages would only meet refusals).
 */
export const isTownStaff = (role: Role): boolean => (TOWN_STAFF_ROLES as readonly string[]).includes(role);
