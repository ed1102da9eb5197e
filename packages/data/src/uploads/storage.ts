import { INCOMING_UPLOAD_TAG } from '@gridline/domain';
import { scopedTown } from '../client';
import { localBlobUrl } from './local';
import { presignGet, signPostPolicy } from './sigv4';

/** The signed ways in and out of the uploads store that a browser uses: a POST form and a GET link. */
export interface UploadSigner {
  form(o: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresAt: Date;
    now: Date;
  }): Promise<{ url: string; fields: Record<string, string> }>;
  link(o: { key: string; fileName: string; contentType: string; seconds: number; now: Date }): Promise<string>;
}

/** The tag of posted, unchecked originals; the uploads bucket expires objects that carry it. */
const INCOMING_TAG = { [INCOMING_UPLOAD_TAG.key]: INCOMING_UPLOAD_TAG.value };

/** `attachment; filename*=UTF-8''…`: the browser saves the file under its name instead of showing it inline. */
const disposition = (fileName: string) => `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/**
 * Deployed: signed with the town role's credentials (a fresh session for each signature, so a form or link
 * outlives none of its conditions); that role may touch only `towns/<its town>/`, so a signature for another
 * town's key would be refused by S3 even if this code made one.
 */
class S3Signer implements UploadSigner {
  constructor(
    private readonly bucket: string,
    private readonly region: string,
  ) {}
  private async credentials() {
    const town = scopedTown();
    if (!town) throw new Error('Uploads are signed with the town role; no town scope is active');
    return town.credentials();
  }
  async form(o: { key: string; contentType: string; maxBytes: number; expiresAt: Date; now: Date }) {
    return signPostPolicy({
      bucket: this.bucket,
      region: this.region,
      minBytes: 1,
      ...o,
      // The posted original (unchecked, metadata and all) expires by this tag (infra: the uploads
      // bucket's lifecycle); the checked copy `complete` writes carries no tag and stays.
      tags: INCOMING_TAG,
      credentials: await this.credentials(),
    });
  }
  async link(o: { key: string; fileName: string; contentType: string; seconds: number; now: Date }) {
    return presignGet({
      bucket: this.bucket,
      region: this.region,
      key: o.key,
      expiresInSeconds: o.seconds,
      now: o.now,
      credentials: await this.credentials(),
      query: { 'response-content-disposition': disposition(o.fileName), 'response-content-type': o.contentType },
    });
  }
}

/** Locally: tokens for the local server's `/blobs/<token>`, which writes under `.local/blobs`. */
class LocalSigner implements UploadSigner {
  async form(o: { key: string; contentType: string; maxBytes: number; expiresAt: Date }) {
    return { url: localBlobUrl({ op: 'put', key: o.key, type: o.contentType, max: o.maxBytes, exp: o.expiresAt.getTime() }), fields: {} };
  }
  async link(o: { key: string; fileName: string; contentType: string; seconds: number; now: Date }) {
    return localBlobUrl({ op: 'get', key: o.key, type: o.contentType, name: o.fileName, exp: o.now.getTime() + o.seconds * 1000 });
  }
}

let signer: UploadSigner | undefined;

/** The process's upload signer: S3 when GRIDLINE_UPLOADS_BUCKET is set, else the local server's tokens. */
export function uploadSigner(): UploadSigner {
  if (signer) return signer;
  const bucket = process.env.GRIDLINE_UPLOADS_BUCKET;
  signer = bucket ? new S3Signer(bucket, process.env.AWS_REGION ?? 'cn-north-1') : new LocalSigner();
  return signer;
}

export { disposition as attachmentDisposition };
