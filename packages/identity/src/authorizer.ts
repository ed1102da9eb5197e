import { createLocalJWKSet, createRemoteJWKSet, type JWK, type JWTPayload, jwtVerify } from 'jose';

/** How long a verified token is taken on trust without checking its signature again, and how many are kept. */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 1_000;

/**
 * Verifies a bearer token the way the HTTP API's JWT authorizer does: RS256 signature against the
 * issuer's JWKS, `iss` exact, `aud` (or `client_id`) in the audience list, `exp`/`nbf` checked.
 * Returns the claims as API Gateway passes them to a function (every value a string), or undefined.
 */
export function createJwtAuthorizer(opts: {
  issuer: string;
  audience: string[];
  jwks: URL | { keys: JWK[] };
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}) {
  const keySet = opts.jwks instanceof URL ? createRemoteJWKSet(opts.jwks) : createLocalJWKSet(opts.jwks);
  const now = opts.now ?? Date.now;
  // A browser sends the same token on every request until it expires; checking its RS256 signature
  // (WebCrypto, a trip to the thread pool) each time was most of the local API's overhead. Only tokens
  // that passed every check are kept, keyed by their exact text, so a changed byte misses; the time
  // claims are checked again on every hit, and an entry lapses after a minute so a key removed from
  // the JWKS stops being honoured soon after.
  const verified = new Map<string, { claims: Record<string, string>; exp?: number; nbf?: number; until: number }>();
  return async (authorization: string | undefined): Promise<Record<string, string> | undefined> => {
    if (!authorization) return undefined;
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const at = now();
    const hit = verified.get(token);
    if (hit) {
      const seconds = at / 1000;
      if (at < hit.until && (hit.exp === undefined || seconds < hit.exp) && (hit.nbf === undefined || seconds >= hit.nbf))
        return hit.claims;
      verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, keySet, { issuer: opts.issuer, algorithms: ['RS256'], currentDate: new Date(at) });
      if (!audienceMatches(payload, opts.audience)) return undefined;
      const claims = stringifyClaims(payload);
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
      verified.set(token, { claims, exp: payload.exp, nbf: payload.nbf, until: at + VERIFIED_TTL_MS });
      return claims;
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
