import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '@gridline/domain/zod';
import { dataConfig } from '../config';

/*
 * The local stand-in for the bucket's signed forms and links: `/blobs/<token>` on the local server. The
 * token names the one key it is good for, what it allows (a POST of at most `max` bytes of one type, or a
 * GET) and until when, and carries an HMAC under a key derived from the local cursor secret, so a page
 * cannot forge a token for another key or another town.
 */

const tokenSchema = z.object({
  op: z.enum(['put', 'get']),
  key: z.string().check(z.regex(/^towns\/[a-z][a-z0-9-]+[a-z0-9]\/[A-Za-z0-9._/-]+$/)),
  type: z.string(),
  /** put: the most bytes the file may have. */
  max: z.optional(z.int()),
  /** get: the file name to offer. */
  name: z.optional(z.string()),
  /** Epoch milliseconds after which the token is refused. */
  exp: z.int(),
});
export type LocalBlobGrant = z.infer<typeof tokenSchema>;

const key = () => createHmac('sha256', dataConfig().cursorSecret).update('gridline-local-blobs').digest();
const mac = (payload: string) => createHmac('sha256', key()).update(payload).digest();

/** A signed token for one local blob operation. */
export function signLocalBlobToken(grant: LocalBlobGrant): string {
  const payload = Buffer.from(JSON.stringify(grant), 'utf8').toString('base64url');
  return `${payload}.${mac(payload).toString('base64url')}`;
}

/** The grant a token carries, or undefined if it is forged, damaged or expired. */
export function verifyLocalBlobToken(token: string, now = Date.now()): LocalBlobGrant | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const grant = z.safeParse(tokenSchema, parsed);
  if (!grant.success || grant.data.exp < now || grant.data.key.includes('..')) return undefined;
  return grant.data;
}

/**
 * The URL of a local blob operation: a path on the local origin (the web app, the API and `/blobs` share
 * one origin locally, so the page posts to it whatever host name it was opened under).
 */
export const localBlobUrl = (grant: LocalBlobGrant) => `/blobs/${signLocalBlobToken(grant)}`;
