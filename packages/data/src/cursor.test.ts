import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

const SECRET = 'a-test-secret-of-enough-length';
const key = fc.dictionary(fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk'), fc.string({ maxLength: 40 }), { minKeys: 1 });

describe('cursors', () => {
  it('round-trip for the same tenant and listing', () => {
    fc.assert(
      fc.property(key, fc.string({ minLength: 1 }), (k, listing) => {
        expect(decodeCursor(SECRET, 'qingshi', listing, encodeCursor(SECRET, 'qingshi', listing, k))).toEqual(k);
      }),
    );
  });

  it('are refused in another town, another listing or under another secret', () => {
    const c = encodeCursor(SECRET, 'qingshi', 'staff', { pk: 'T#qingshi#STAFF', sk: 'USER#a' });
    expect(() => decodeCursor(SECRET, 'taoyuan', 'staff', c)).toThrow(/not valid/);
    expect(() => decodeCursor(SECRET, 'qingshi', 'towns', c)).toThrow(/not valid/);
    expect(() => decodeCursor('another-secret-of-enough-length', 'qingshi', 'staff', c)).toThrow(/not valid/);
  });

  it('refuse any tampering with the payload', () => {
    const c = encodeCursor(SECRET, 'qingshi', 'staff', { pk: 'T#qingshi#STAFF', sk: 'USER#a' });
    const [payload, mac] = c.split('.') as [string, string];
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('qingshi', 'taoyuan')).toString('base64url');
    expect(() => decodeCursor(SECRET, 'taoyuan', 'staff', `${forged}.${mac}`)).toThrow(/not valid/);
  });

  it('refuse garbage with a 400, never anything else', () => {
    fc.assert(
      fc.property(fc.string(), (junk) => {
        try {
          decodeCursor(SECRET, 'qingshi', 'staff', junk);
          return false;
        } catch (e) {
          return (e as { status?: number }).status === 400;
        }
      }),
    );
  });
});
