import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '@gridline/domain';
import { scopedTown } from './client';
import { townKeys } from './keys';
import { commitChange, getItem } from './ops';

/**
 * Field-level encryption of personal data (ID numbers, phones) with one data key per town.
 * Deployed, KMS generates and unwraps the key (encryption context: the town); locally a master key
 * from a file wraps it. Items hold only ciphertext and a keyed hash for exact look-up.
 */
export interface KeyWrapper {
  generate(townId: string): Promise<{ plaintext: Buffer; wrapped: string }>;
  unwrap(townId: string, wrapped: string): Promise<Buffer>;
}

const b64 = (b: Buffer) => b.toString('base64url');

/** AES-256-GCM under a local master key, bound to the town as associated data. */
export class LocalKeyWrapper implements KeyWrapper {
  constructor(private readonly master: Buffer) {
    if (master.length !== 32) throw new Error('the local master key must be 32 bytes');
  }
  async generate(townId: string) {
    const plaintext = randomBytes(32);
    return { plaintext, wrapped: seal(this.master, plaintext, `datakey|${townId}`) };
  }
  async unwrap(townId: string, wrapped: string) {
    return open(this.master, wrapped, `datakey|${townId}`);
  }
}

/** KMS GenerateDataKey / Decrypt with the town as encryption context. KMS cannot run here: untested adapter. */
export class KmsKeyWrapper implements KeyWrapper {
  constructor(private readonly keyId: string) {}
  private readonly clients = new Map<string, unknown>();
  /** A KMS client with the town role's credentials: only a session tagged with the town may use its key. */
  private async kms() {
    const mod = await import('@aws-sdk/client-kms');
    const town = scopedTown();
    const id = town?.townId ?? 'function';
    let client = this.clients.get(id) as InstanceType<typeof mod.KMSClient> | undefined;
    if (!client) {
      client = new mod.KMSClient(town ? { credentials: town.credentials } : {});
      this.clients.set(id, client);
    }
    return { mod, client };
  }
  async generate(townId: string) {
    const { mod, client } = await this.kms();
    const out = await client.send(
      new mod.GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: { town: townId } }),
    );
    return { plaintext: Buffer.from(out.Plaintext ?? []), wrapped: b64(Buffer.from(out.CiphertextBlob ?? [])) };
  }
  async unwrap(townId: string, wrapped: string) {
    const { mod, client } = await this.kms();
    const out = await client.send(
      new mod.DecryptCommand({ CiphertextBlob: Buffer.from(wrapped, 'base64url'), EncryptionContext: { town: townId } }),
    );
    return Buffer.from(out.Plaintext ?? []);
  }
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `v1.${b64(iv)}.${b64(body)}.${b64(cipher.getAuthTag())}`;
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const [v, iv, body, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || body === undefined || !tag) throw new AppError('vault.corrupt', 500, 'An encrypted value is unreadable.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}

let wrapper: KeyWrapper | undefined;

/** Installs the key wrapper (tests); otherwise chosen from GRIDLINE_KMS_KEY_ID or a local master key. */
export function useKeyWrapper(w: KeyWrapper | undefined) {
  wrapper = w;
  keys.clear();
}

function currentWrapper(): KeyWrapper {
  if (wrapper) return wrapper;
  const kmsKey = process.env.GRIDLINE_KMS_KEY_ID;
  if (kmsKey) wrapper = new KmsKeyWrapper(kmsKey);
  else {
    const inline = process.env.GRIDLINE_MASTER_KEY;
    const file = process.env.GRIDLINE_MASTER_KEY_FILE;
    const master = inline ? Buffer.from(inline, 'base64') : file ? Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') : undefined;
    if (!master) throw new Error('No key for personal data: set GRIDLINE_KMS_KEY_ID, GRIDLINE_MASTER_KEY or GRIDLINE_MASTER_KEY_FILE');
    wrapper = new LocalKeyWrapper(master);
  }
  return wrapper;
}

export type TownVault = {
  /** Encrypts a field value; the field name is bound in, so a ciphertext cannot be moved to another field. */
  encrypt(field: string, value: string): string;
  decrypt(field: string, sealed: string): string;
  /** A keyed hash of a normalised value, for exact look-up without storing the value. */
  lookupHash(field: string, value: string): string;
};

const KEY_TTL_MS = 15 * 60_000;
const keys = new Map<string, { key: Buffer; until: number }>();

function vaultOf(townId: string, dataKey: Buffer): TownVault {
  const hashKey = (field: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `gridline-lookup|${field}`, 32));
  return {
    encrypt: (field, value) => seal(dataKey, Buffer.from(value, 'utf8'), `${townId}|${field}`),
    decrypt: (field, sealed) => open(dataKey, sealed, `${townId}|${field}`).toString('utf8'),
    lookupHash: (field, value) => createHmac('sha256', hashKey(field)).update(value).digest('base64url').slice(0, 32),
  };
}

/**
 * The town's vault: its data key unwrapped once per process and kept 15 minutes. A town provisioned
 * before keys existed gets one on first use (created once, whoever wins the race).
 */
export async function townVault(townId: string, now = Date.now()): Promise<TownVault> {
  const cached = keys.get(townId);
  if (cached && cached.until > now) return vaultOf(townId, cached.key);
  const k = townKeys(townId);
  let stored = await getItem<{ wrapped: string }>(k.dataKey(), { consistent: true });
  if (!stored) {
    const fresh = await currentWrapper().generate(townId);
    try {
      await commitChange({ writes: [{ kind: 'create', item: { ...k.dataKey(), type: 'DataKey', wrapped: fresh.wrapped } }], audit: [] });
      stored = { wrapped: fresh.wrapped };
    } catch (e) {
      if (!(e instanceof AppError && e.status === 409)) throw e;
      stored = await getItem<{ wrapped: string }>(k.dataKey(), { consistent: true });
    }
  }
  if (!stored) throw new AppError('vault.missing', 500, 'The town has no data key.');
  const key = await currentWrapper().unwrap(townId, stored.wrapped);
  keys.set(townId, { key, until: now + KEY_TTL_MS });
  return vaultOf(townId, key);
}
