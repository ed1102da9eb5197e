import { createLocalJWKSet, createRemoteJWKSet, type JWK, type JWTPayload, jwtVerify } from 'jose';

/**
 * Verifies a bearer token the way the HTTP API's JWT authorizer does: RS256 signature against the
 * issuer's JWKS, `iss` exact, `aud` (or `client_id`) in the audience list, `exp`/`nbf` checked.
 * Returns the claims as API Gateway passes them to a function (every value a string), or undefined.
 */
export function createJwtAuthorizer(opts: { issuer: string; audience: string[]; jwks: URL | { keys: JWK[] } }) {
  const keySet = opts.jwks instanceof URL ? createRemoteJWKSet(opts.jwks) : createLocalJWKSet(opts.jwks);
  return async (authorization: string | undefined): Promise<Record<string, string> | undefined> => {
    if (!authorization) return undefined;
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    try {
      const { payload } = await jwtVerify(token, keySet, { issuer: opts.issuer, algorithms: ['RS256'] });
      if (!audienceMatches(payload, opts.audience)) return undefined;
      return stringifyClaims(payload);
    } catch {
      return undefined;
    }
  };
}

function audienceMatches(payload: JWTPayload, audience: string[]): boolean {
  const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const clientId = typeof payload.client_id === 'string' ? [payload.client_id] : [];
  return [...aud, ...clientId].some((a) => audience.includes(a));
}

/** API Gateway hands claims over as strings; arrays become `[a b]`. */
export function stringifyClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  }
  return out;
}
