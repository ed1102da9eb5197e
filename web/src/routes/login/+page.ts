import { redirect } from '@sveltejs/kit';
import { currentSession, homePath, safeNext } from '$lib/session';

export function load({ url }) {
  const s = currentSession();
  if (s) redirect(307, safeNext(url.searchParams.get('next')) ?? homePath(s));
  return { next: safeNext(url.searchParams.get('next')), reason: url.searchParams.get('reason') };
}
