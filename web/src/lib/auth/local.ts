import { fetchJson, type LocalConfig } from '../api';
import { type Session, startSession } from '../session';

type LoginAnswer = { idToken: string; expiresIn: number };

/** Local mode: the local issuer (Cognito's stand-in) takes a username and password and returns an ID token. */
export async function localLogin(config: LocalConfig, username: string, password: string): Promise<Session> {
  const answer = await fetchJson<LoginAnswer>(`${config.authBase}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return startSession(answer.idToken);
}
