import { redirect } from '@sveltejs/kit';
import { currentSession, homePath } from '$lib/session';

/** The home page is only a switch: to the login page, or to the home of the user's role. */
export function load() {
  redirect(307, homePath(currentSession()));
}
