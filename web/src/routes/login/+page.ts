import { redirect } from '@sveltejs/kit';
import { loadConfig } from '$lib/api';
import { started } from '$lib/load';
import { currentSession, homePath, safeNext } from '$lib/session';

/** Signed in already: on to where the user was going. Otherwise the sign-in settings (local or Cognito) are read. */
export function load({ url }) {
  const s = currentSession();
  if (s) redirect(307, safeNext(url.searchParams.get('next')) ?? homePath(s));
  return { next: safeNext(url.searchParams.get('next')), reason: url.searchParams.get('reason'), config: started(loadConfig()) };
}
