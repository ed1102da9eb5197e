import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { DirectoryUser } from './directory';

export const LOCAL_CLIENT_ID = 'gridline-local-web';
const TOKEN_SECONDS = 3600;

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
export type SigningKey = { privateKey: PrivateKey; publicJwk: JWK; kid: string };

/** Loads the issuer's RS256 key from `file`, or makes one (and saves it when a file is given). */
export async function loadSigningKey(file?: string): Promise<SigningKey> {
  if (file) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK; kid: string };
      return { privateKey: (await importJWK(saved.privateJwk, 'RS256')) as PrivateKey, publicJwk: saved.publicJwk, kid: saved.kid };
    } catch {
      // No saved key yet.
    }
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk, kid }), { mode: 0o600 });
  }
  return { privateKey, publicJwk, kid };
}

/** Signs an ID token shaped like Cognito's: town, role and scope as custom claims, the role as a group. */
export async function signIdToken(
  key: SigningKey,
  issuer: string,
  user: DirectoryUser,
  opts: { audience?: string; nowSeconds?: number; lifetimeSeconds?: number } = {},
): Promise<string> {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:username': user.username,
    'cognito:groups': [user.role],
    token_use: 'id',
    name: user.displayName,
    'custom:role': user.role,
    ...(user.townId ? { 'custom:town': user.townId } : {}),
    ...(user.scope ? { 'custom:scope': user.scope } : {}),
    auth_time: now,
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject(user.sub)
    .setIssuer(issuer)
    .setAudience(opts.audience ?? LOCAL_CLIENT_ID)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.lifetimeSeconds ?? TOKEN_SECONDS))
    .sign(key.privateKey);
}

export const TOKEN_LIFETIME_SECONDS = TOKEN_SECONDS;
