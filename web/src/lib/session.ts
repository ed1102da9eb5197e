import { get, writable } from 'svelte/store';
import { isRole, type Role } from '@gridline/domain/rules';

export type SessionUser = { username: string; displayName: string; role: Role; townId: string | null };
export type Session = { token: string; expiresAt: number; user: SessionUser };

/**
 * Only the ID token is stored, and only in sessionStorage (gone when the tab closes). Who the user is
 * comes from the token's claims each time; nothing about the person is written anywhere else.
 */
const TOKEN_KEY = 'gridline.idToken';

function base64UrlToText(part: string): string {
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the claims of an ID token (the server verifies it; this is only for showing and routing). */
export function sessionFromToken(token: string): Session | null {
  try {
    const payload = token.split('.')[1];
    if (!payload) return null;
    const c = JSON.parse(base64UrlToText(payload)) as Record<string, unknown>;
    const role = c['custom:role'];
    const username = c['cognito:username'];
    if (!isRole(role) || typeof username !== 'string' || typeof c.exp !== 'number') return null;
    return {
      token,
      expiresAt: c.exp * 1000,
      user: {
        username,
        displayName: typeof c.name === 'string' ? c.name : username,
        role,
        townId: typeof c['custom:town'] === 'string' ? c['custom:town'] : null,
      },
    };
  } catch {
    return null;
  }
}

function restore(): Session | null {
  try {
    const token = globalThis.sessionStorage?.getItem(TOKEN_KEY);
    const s = token ? sessionFromToken(token) : null;
    return s && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export const session = writable<Session | null>(restore());

export function startSession(token: string): Session {
  const s = sessionFromToken(token);
  if (!s) throw new Error('The sign-in token carries no Gridline role.');
  sessionStorage.setItem(TOKEN_KEY, token);
  session.set(s);
  return s;
}

export function endSession() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
  session.set(null);
}

/** The session if it is still valid; an expired one is dropped. */
export function currentSession(): Session | null {
  const s = get(session);
  if (s && s.expiresAt <= Date.now()) {
    endSession();
    return null;
  }
  return s;
}

export const homePath = (s: Session | null) => (!s ? '/login' : s.user.role === 'county_admin' ? '/county' : '/town');

/** A `next` target from the query string, if it is a path on this site (never another origin). */
export function safeNext(raw: string | null): string | null {
  if (!raw?.startsWith('/')) return null;
  if (raw.startsWith('//') || raw.startsWith('/\\') || raw.startsWith('/login')) return null;
  return raw;
}
