import { goto } from '$app/navigation';
import { loadConfig } from '../api';
import { endSession } from '../session';
import { cognitoLogoutUrl } from './cognito';

/** Signs out: drops the token, and in Cognito mode ends the hosted-UI session as well. */
export async function signOut(): Promise<void> {
  endSession();
  const config = await loadConfig().catch(() => null);
  if (config?.mode === 'cognito') {
    location.assign(cognitoLogoutUrl(config));
    return;
  }
  await goto('/login?reason=signedOut', { replaceState: true });
}
