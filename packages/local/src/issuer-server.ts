import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalDirectory, type SigningKey, signIdToken, TOKEN_LIFETIME_SECONDS } from '@gridline/identity';
import * as z from '@gridline/domain/zod';
import { readBody, sendJson } from './http';

const loginBody = z.object({
  username: z.string().check(z.minLength(1), z.maxLength(128)),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});

/**
 * The local issuer: the stand-in for the Cognito user pool (which cannot run here). It publishes a
 * JWKS and OpenID configuration as Cognito does and signs ID tokens with the same claims.
 */
export function createIssuerHandler(opts: { issuer: () => string; key: SigningKey; directory: LocalDirectory }) {
  const failures = new Map<string, { count: number; until: number }>();
  return async (req: IncomingMessage, res: ServerResponse, pathPrefix = '') => {
    const path = new URL(req.url ?? '/', 'http://local').pathname.slice(pathPrefix.length);
    const issuer = opts.issuer();
    if (req.method === 'GET' && path === '/.well-known/jwks.json') return sendJson(res, 200, { keys: [opts.key.publicJwk] });
    if (req.method === 'GET' && path === '/.well-known/openid-configuration')
      return sendJson(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
      });
    if (req.method === 'POST' && path === '/login') {
      const raw = await readBody(req);
      let parsed: z.infer<typeof loginBody>;
      try {
        const r = loginBody.safeParse(JSON.parse(raw.toString()));
        if (!r.success) throw new Error('shape');
        parsed = r.data;
      } catch {
        return sendJson(res, 400, {
          error: { code: 'login.invalid', message: 'Username and password are required.', requestId: 'issuer' },
        });
      }
      const lock = failures.get(parsed.username);
      if (lock && lock.count >= 10 && lock.until > Date.now())
        return sendJson(res, 429, { error: { code: 'login.locked', message: 'Too many attempts; wait a minute.', requestId: 'issuer' } });
      const user = opts.directory.authenticate(parsed.username, parsed.password);
      if (!user) {
        failures.set(parsed.username, { count: (lock?.count ?? 0) + 1, until: Date.now() + 60_000 });
        return sendJson(res, 401, { error: { code: 'login.failed', message: 'Wrong username or password.', requestId: 'issuer' } });
      }
      failures.delete(parsed.username);
      const idToken = await signIdToken(opts.key, issuer, user);
      return sendJson(res, 200, {
        idToken,
        expiresIn: TOKEN_LIFETIME_SECONDS,
        user: { username: user.username, displayName: user.displayName, role: user.role, townId: user.townId ?? null },
      });
    }
    return sendJson(res, 404, { message: 'Not Found' });
  };
}
