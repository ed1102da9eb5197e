import { goto } from '$app/navigation';
import { get } from 'svelte/store';
import { t } from '../i18n';
import { loadConfig } from '../api';
import { endSession } from '../session';
import { cognitoLogoutUrl } from './cognito';

/**
 * Signs out: wipes the device's offline visit store (its key, copies and queue; a confirmation first
 * when visits are not yet on the server), drops the token, and in Cognito mode ends the hosted-UI
 * session as well. Resolves false when the user chose to stay.
 */
export async function signOut(): Promise<boolean> {
  // Loaded only now: the visits' offline code stays out of every other page's first load.
  const offline = await import('../visits/sync').catch(() => null);
  const unsent = (await offline?.unsentCount().catch(() => 0)) ?? 0;
  if (unsent > 0 && !confirm(get(t)('visits.signOutUnsent', { n: unsent }))) return false;
  await offline?.forgetDevice();
  endSession();
  const config = await loadConfig().catch(() => null);
  if (config?.mode === 'cognito') {
    location.assign(cognitoLogoutUrl(config));
    return true;
  }
  await goto('/login?reason=signedOut', { replaceState: true });
  return true;
}
