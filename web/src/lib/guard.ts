import { redirect } from '@sveltejs/kit';
import { currentSession, homePath, type Session } from './session';
import type { Role } from '@gridline/domain/rules';

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
