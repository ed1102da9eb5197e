import { signLocalBlobToken, verifyLocalBlobToken } from '@gridline/data/uploads';
import { describe, expect, it } from 'vitest';
import { filePart } from './blob-server';

// Read on the first signature (the data settings are read once per process, lazily).
process.env.GRIDLINE_CURSOR_SECRET = 'a-test-secret-of-enough-length';

const grant = { op: 'put' as const, key: 'towns/qingshi/incoming/u-abc123def456', type: 'image/png', max: 100, exp: Date.now() + 60_000 };

describe('local blob tokens', () => {
  it('carry their grant, and nothing forged, altered or expired passes', () => {
    const token = signLocalBlobToken(grant);
    expect(verifyLocalBlobToken(token)).toEqual(grant);
    const [payload, mac] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ ...grant, key: 'towns/taoyuan/incoming/u-abc123def456' })).toString('base64url');
    expect(verifyLocalBlobToken(`${other}.${mac}`)).toBeUndefined();
    expect(verifyLocalBlobToken(`${payload}.${mac.slice(0, -2)}xx`)).toBeUndefined();
    expect(verifyLocalBlobToken(`${payload}`)).toBeUndefined();
    expect(verifyLocalBlobToken(signLocalBlobToken({ ...grant, exp: Date.now() - 1 }))).toBeUndefined();
    expect(verifyLocalBlobToken(signLocalBlobToken({ ...grant, key: 'towns/qingshi/../taoyuan/x' }))).toBeUndefined();
    expect(verifyLocalBlobToken(signLocalBlobToken({ ...grant, key: 'elsewhere/x' }))).toBeUndefined();
  });
});

describe('reading the posted form', () => {
  const form = (parts: Array<[string, string]>, boundary = 'XyZ') =>
    Buffer.from(
      `${parts.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('')}--${boundary}--\r\n`,
      'latin1',
    );

  it('finds the file part after the fields, byte for byte', () => {
    const body = form([
      ['key', 'x'],
      ['file', 'line one\r\n--XY not the boundary\r\n\u00ff'],
    ]);
    expect(filePart(body, 'multipart/form-data; boundary=XyZ')?.toString('latin1')).toBe('line one\r\n--XY not the boundary\r\n\u00ff');
    expect(filePart(body, 'multipart/form-data; boundary="XyZ"')).toBeDefined();
  });

  it('answers nothing without a boundary or a file part', () => {
    expect(filePart(form([['file', 'a']]), 'application/json')).toBeUndefined();
    expect(filePart(form([['key', 'a']]), 'multipart/form-data; boundary=XyZ')).toBeUndefined();
  });
});
