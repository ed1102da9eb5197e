import { ApiError, type CognitoConfig, fetchJson } from '../api';
import { type Session, startSession } from '../session';

/**
 * Deployed mode: the Cognito hosted UI with the authorization-code flow and PKCE (S256).
 *
 * NOT TESTED HERE: Cognito cannot run on this machine, so this module is only type-checked and built.
 * When deploying, the site's CSP `connect-src` must also allow `https://<cognito domain>` for the
 * token exchange below.
 *
 * Only the PKCE verifier, the state and the wanted path are kept, in sessionStorage, between the
 * redirect and the callback; they say nothing about the person and are deleted on return.
 */
const PKCE_KEY = 'gridline.pkce';

type Pending = { verifier: string; state: string; next: string | null };

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** `auth.example.com` or `https://auth.example.com/` → `https://auth.example.com`. */
function origin(domain: string): string {
  const d = domain.replace(/\/+$/, '');
  return /^https?:\/\//.test(d) ? d : `https://${d}`;
}

/** Sends the browser to the hosted UI; it comes back to `redirectUri` with `?code&state`. */
export async function startCognitoLogin(config: CognitoConfig, next: string | null): Promise<void> {
  const pending: Pending = { verifier: randomText(48), state: randomText(16), next };
  sessionStorage.setItem(PKCE_KEY, JSON.stringify(pending));
  const url = new URL(`${origin(config.cognito.domain)}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.cognito.clientId,
    redirect_uri: config.cognito.redirectUri,
    scope: 'openid profile',
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On the callback page: checks the state, trades the code for tokens, starts the session. */
export async function completeCognitoLogin(config: CognitoConfig, callback: URL): Promise<{ session: Session; next: string | null }> {
  const raw = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  const code = callback.searchParams.get('code');
  if (!pending || !code || callback.searchParams.get('state') !== pending.state) throw new ApiError(400, 'oauth.state', 'state mismatch');
  let tokens: { id_token?: string };
  try {
    tokens = await fetchJson<{ id_token?: string }>(`${origin(config.cognito.domain)}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.cognito.clientId,
        code,
        redirect_uri: config.cognito.redirectUri,
        code_verifier: pending.verifier,
      }).toString(),
    });
  } catch {
    throw new ApiError(400, 'oauth.exchange', 'token exchange failed');
  }
  if (!tokens.id_token) throw new ApiError(400, 'oauth.exchange', 'no id_token');
  return { session: startSession(tokens.id_token), next: pending.next };
}

/** Ends the hosted-UI session too; Cognito sends the browser back to the login page. */
export function cognitoLogoutUrl(config: CognitoConfig): string {
  const back = new URL('/login?reason=signedOut', config.cognito.redirectUri).toString();
  const url = new URL(`${origin(config.cognito.domain)}/logout`);
  url.search = new URLSearchParams({ client_id: config.cognito.clientId, logout_uri: back }).toString();
  return url.toString();
}
