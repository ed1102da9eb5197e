import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Local data lives here (git-ignored); `reset` deletes it. */
export const LOCAL_DIR = process.env.GRIDLINE_LOCAL_DIR ?? join(ROOT, '.local');

export const localPaths = {
  dynamo: join(LOCAL_DIR, 'dynamodb'),
  directory: join(LOCAL_DIR, 'identity', 'users.json'),
  signingKey: join(LOCAL_DIR, 'identity', 'issuer-key.json'),
  secret: join(LOCAL_DIR, 'cursor-secret'),
  masterKey: join(LOCAL_DIR, 'master.key'),
  blobs: join(LOCAL_DIR, 'blobs'),
  reports: join(LOCAL_DIR, 'reports'),
  web: join(ROOT, 'web', 'build'),
};

/** The local master key that wraps each town's data key (KMS does this when deployed), made on first run. */
export function localMasterKeyFile(): string {
  if (!existsSync(localPaths.masterKey)) {
    mkdirSync(dirname(localPaths.masterKey), { recursive: true });
    writeFileSync(localPaths.masterKey, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return localPaths.masterKey;
}

/** The local cursor-signing secret, made on first run. */
export function localSecret(): string {
  if (!existsSync(localPaths.secret)) {
    mkdirSync(dirname(localPaths.secret), { recursive: true });
    writeFileSync(localPaths.secret, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(localPaths.secret, 'utf8').trim();
}
