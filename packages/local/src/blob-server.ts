import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { localBlobPath } from '@gridline/data/blobs';
import { attachmentDisposition, verifyLocalBlobToken } from '@gridline/data/uploads';
import { sendJson } from './http';

/** Room for the multipart framing and the form's own fields around the file. */
const FORM_OVERHEAD = 64 * 1024;

const s3Error = (res: ServerResponse, status: number, code: string, message: string) => sendJson(res, status, { error: { code, message } });

/**
 * Reads the request while counting: answers 'too_large' as soon as more than `limit` bytes have come,
 * without waiting for (or keeping) the rest.
 */
async function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return 'too_large';
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The part named `file` of a multipart/form-data body, or undefined. */
export function filePart(body: Buffer, contentType: string): Buffer | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return undefined;
    const next = body.indexOf(delimiter, start);
    if (next === -1) return undefined;
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      if (/content-disposition:[^\r\n]*\bname="file"/i.test(headers)) return part.subarray(split + 4);
    }
    at = next;
  }
  return undefined;
}

/**
 * The local stand-in for the uploads bucket (decision 100): `POST /blobs/<token>` takes a browser form
 * whose `file` part is stored at the token's key, refused (413) as soon as the body passes the token's
 * limit; `GET /blobs/<token>` answers the file as an attachment. Tokens are signed and expire
 * (packages/data/src/uploads/local.ts); the key of each is fixed by the API, under the caller's town.
 */
export function createBlobHandler() {
  return async (req: IncomingMessage, res: ServerResponse, token: string) => {
    const grant = verifyLocalBlobToken(token);
    const method = (req.method ?? 'GET').toUpperCase();
    if (!grant) return s3Error(res, 403, 'AccessDenied', 'The link is not valid or has expired.');
    if (method === 'POST' && grant.op === 'put') {
      const limit = (grant.max ?? 0) + FORM_OVERHEAD;
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit) {
        res.setHeader('connection', 'close');
        return s3Error(res, 413, 'EntityTooLarge', 'The file is larger than allowed.');
      }
      const body = await readAtMost(req, limit);
      if (body === 'too_large') {
        res.setHeader('connection', 'close');
        return s3Error(res, 413, 'EntityTooLarge', 'The file is larger than allowed.');
      }
      const file = filePart(body, req.headers['content-type'] ?? '');
      if (!file || file.length === 0) return s3Error(res, 400, 'MalformedPOSTRequest', 'The form has no file.');
      if (file.length > (grant.max ?? 0)) return s3Error(res, 413, 'EntityTooLarge', 'The file is larger than allowed.');
      const path = localBlobPath(grant.key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file);
      res.writeHead(204, { 'cache-control': 'no-store' });
      return res.end();
    }
    if ((method === 'GET' || method === 'HEAD') && grant.op === 'get') {
      const path = localBlobPath(grant.key);
      const info = await stat(path).catch(() => undefined);
      if (!info) return s3Error(res, 404, 'NoSuchKey', 'The file is gone.');
      res.writeHead(200, {
        'content-type': grant.type,
        'content-length': String(info.size),
        'content-disposition': attachmentDisposition(grant.name ?? 'file'),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
      if (method === 'HEAD') return res.end();
      createReadStream(path).pipe(res);
      return;
    }
    return s3Error(res, 405, 'MethodNotAllowed', 'This link does not allow that.');
  };
}
