import { createHash, createHmac } from 'node:crypto';

/*
 * Signature Version 4 for the two things the browser does with the uploads bucket: POST a file through a
 * signed policy, and GET one through a presigned URL. Signed here with node:crypto because the SDK's
 * presigning packages are not among the project's dependencies; the unit test checks AWS's own example.
 */

export type SigningCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** `20130524T000000Z` and `20130524` for a moment. */
export function amzDates(at: Date): { amzDate: string; day: string } {
  const amzDate = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return { amzDate, day: amzDate.slice(0, 8) };
}

function signingKey(secret: string, day: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it (every character but unreserved ones). */
export const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The bucket's virtual-hosted endpoint; regions of AWS China answer under amazonaws.com.cn. */
export const bucketHost = (bucket: string, region: string) =>
  `${bucket}.s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

export type PostPolicyInput = {
  bucket: string;
  region: string;
  key: string;
  contentType: string;
  /** Smallest and largest file the form admits, in bytes. */
  minBytes: number;
  maxBytes: number;
  expiresAt: Date;
  now: Date;
  credentials: SigningCredentials;
  /** Tags the stored object gets (S3's `tagging` form field, bound by the policy like the others). */
  tags?: Record<string, string>;
};

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The `tagging` field of a POST form: S3's Tagging XML. */
export const taggingXml = (tags: Record<string, string>) =>
  `<Tagging><TagSet>${Object.entries(tags)
    .map(([k, v]) => `<Tag><Key>${xmlText(k)}</Key><Value>${xmlText(v)}</Value></Tag>`)
    .join('')}</TagSet></Tagging>`;

/** A browser-based POST upload form: S3 refuses the file unless it fits every condition of the policy. */
export function signPostPolicy(i: PostPolicyInput): { url: string; fields: Record<string, string> } {
  const { amzDate, day } = amzDates(i.now);
  const credential = `${i.credentials.accessKeyId}/${day}/${i.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: i.key,
    'Content-Type': i.contentType,
    ...(i.tags ? { tagging: taggingXml(i.tags) } : {}),
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': amzDate,
    ...(i.credentials.sessionToken ? { 'x-amz-security-token': i.credentials.sessionToken } : {}),
  };
  const policy = {
    expiration: i.expiresAt.toISOString(),
    conditions: [
      { bucket: i.bucket },
      ['content-length-range', i.minBytes, i.maxBytes],
      ...Object.entries(fields).map(([k, v]) => ({ [k]: v })),
    ],
  };
  const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
  const signature = createHmac('sha256', signingKey(i.credentials.secretAccessKey, day, i.region))
    .update(encoded)
    .digest('hex');
  return {
    url: `https://${bucketHost(i.bucket, i.region)}/`,
    fields: { ...fields, policy: encoded, 'x-amz-signature': signature },
  };
}

export type PresignGetInput = {
  bucket: string;
  region: string;
  key: string;
  expiresInSeconds: number;
  now: Date;
  credentials: SigningCredentials;
  /** Extra query parameters S3 answers with (e.g. `response-content-disposition`). */
  query?: Record<string, string>;
  /** The host to sign for (default the bucket's virtual-hosted endpoint). */
  host?: string;
};

/** A presigned GET URL (query-string SigV4, unsigned payload). */
export function presignGet(i: PresignGetInput): string {
  const { amzDate, day } = amzDates(i.now);
  const host = i.host ?? bucketHost(i.bucket, i.region);
  const scope = `${day}/${i.region}/s3/aws4_request`;
  const params: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${i.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(i.expiresInSeconds),
    ...(i.credentials.sessionToken ? { 'X-Amz-Security-Token': i.credentials.sessionToken } : {}),
    'X-Amz-SignedHeaders': 'host',
    ...i.query,
  };
  const query = Object.keys(params)
    .sort()
    .map((k) => `${uriEncode(k)}=${uriEncode(params[k] as string)}`)
    .join('&');
  const path = `/${i.key.split('/').map(uriEncode).join('/')}`;
  const canonical = ['GET', path, query, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', signingKey(i.credentials.secretAccessKey, day, i.region))
    .update(toSign)
    .digest('hex');
  return `https://${host}${path}?${query}&X-Amz-Signature=${signature}`;
}
