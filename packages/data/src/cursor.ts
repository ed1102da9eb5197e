import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@gridline/domain';

/**
 * Pagination cursors: the last evaluated key, the tenant and the listing they belong to, signed.
 * A cursor from one town, one listing or one secret is refused everywhere else with the same 400.
 */
type CursorBody = { t: string; q: string; k: Record<string, unknown> };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

export function encodeCursor(secret: string, tenant: string, listing: string, lastKey: Record<string, unknown>): string {
  const payload = b64(JSON.stringify({ t: tenant, q: listing, k: lastKey } satisfies CursorBody));
  return `${payload}.${b64(sign(secret, payload))}`;
}

const invalid = () => new AppError('cursor.invalid', 400, 'The page cursor is not valid here.', { field: 'query.cursor' });

export function decodeCursor(secret: string, tenant: string, listing: string, cursor: string): Record<string, unknown> {
  const [payload, mac, extra] = cursor.split('.');
  if (!payload || !mac || extra !== undefined) throw invalid();
  const expected = sign(secret, payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    throw invalid();
  }
  if (body.t !== tenant || body.q !== listing || typeof body.k !== 'object' || body.k === null) throw invalid();
  return body.k;
}
