import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '@gridline/domain';
import { scopedTown } from './client';
import { townPrefix } from './keys';

/** Files a town hands over (import uploads): S3 when deployed, a folder locally. Keys live under the town. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
}

/** A file's key, always under `towns/<townId>/` (the town role may touch only that prefix when deployed). */
export function townBlobKey(townId: string, ...parts: string[]): string {
  townPrefix(townId);
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_'));
  return ['towns', townId, ...safe].join('/');
}

class LocalBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}
  private path(key: string) {
    const full = resolve(this.dir, key);
    if (!full.startsWith(resolve(this.dir))) throw new Error('blob key escapes the store');
    return full;
  }
  async put(key: string, bytes: Uint8Array) {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  async get(key: string) {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch {
      throw new AppError('file.not_found', 404, 'The uploaded file is gone.');
    }
  }
}

/** S3 adapter for the uploads bucket. S3 cannot run here: typechecked, exercised only when deployed. */
class S3BlobStore implements BlobStore {
  constructor(
    private readonly bucket: string,
    /** Whether a town scope's files go through the town role (uploads); report files never do. */
    private readonly asTown = true,
  ) {}
  private readonly clients = new Map<string, unknown>();
  /** An S3 client with the town role's credentials: the role may touch only `towns/<its town>/`. */
  private async s3() {
    const mod = await import('@aws-sdk/client-s3');
    const town = this.asTown ? scopedTown() : undefined;
    const id = town?.townId ?? 'function';
    let client = this.clients.get(id) as InstanceType<typeof mod.S3Client> | undefined;
    if (!client) {
      client = new mod.S3Client(town ? { credentials: town.credentials } : {});
      this.clients.set(id, client);
    }
    return { mod, client };
  }
  async put(key: string, bytes: Uint8Array) {
    const { mod, client } = await this.s3();
    await client.send(new mod.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes }));
  }
  async get(key: string) {
    const { mod, client } = await this.s3();
    const out = await client.send(new mod.GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return new Uint8Array((await out.Body?.transformToByteArray()) ?? []);
  }
}

let store: BlobStore | undefined;

/** The process's blob store: S3 when GRIDLINE_UPLOADS_BUCKET is set, else the folder GRIDLINE_BLOB_DIR. */
export function blobStore(): BlobStore {
  if (store) return store;
  const bucket = process.env.GRIDLINE_UPLOADS_BUCKET;
  if (bucket) store = new S3BlobStore(bucket);
  else store = new LocalBlobStore(localBlobDir());
  return store;
}

/** The folder of the local blob store (GRIDLINE_BLOB_DIR, default `.local/blobs`). */
export const localBlobDir = () => process.env.GRIDLINE_BLOB_DIR ?? join(process.cwd(), '.local', 'blobs');

/** A local blob's file path; throws for a key that would leave the folder. */
export function localBlobPath(key: string): string {
  const root = resolve(localBlobDir());
  const full = resolve(root, key);
  if (!full.startsWith(`${root}/`)) throw new Error('blob key escapes the store');
  return full;
}

let reports: BlobStore | undefined;

/**
 * The county's report files (rollups): S3 when GRIDLINE_REPORTS_BUCKET is set, else the folder
 * GRIDLINE_REPORTS_DIR (default `.local/reports`). Written with the job's own credentials, never a town's.
 */
export function reportsStore(): BlobStore {
  if (reports) return reports;
  const bucket = process.env.GRIDLINE_REPORTS_BUCKET;
  if (bucket) reports = new S3BlobStore(bucket, false);
  else reports = new LocalBlobStore(process.env.GRIDLINE_REPORTS_DIR ?? join(process.cwd(), '.local', 'reports'));
  return reports;
}

/** A rollup file's key in the reports store: `rollups/<period>/county.<ext>`. */
export const rollupFileKey = (period: string, ext: 'csv' | 'xlsx' | 'json') =>
  `rollups/${period.replace(/[^0-9A-Za-z-]/g, '_')}/county.${ext}`;
