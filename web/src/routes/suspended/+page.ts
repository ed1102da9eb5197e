import { redirect } from '@sveltejs/kit';
import { currentSession } from '$lib/session';

export function load({ url }) {
  const s = currentSession();
  if (!s) redirect(307, '/login');
  return { unknown: url.searchParams.get('reason') === 'unknown' };
}
