import { blobStore } from '@gridline/data/blobs';
import { uploadObjectKeys } from '@gridline/data/uploads';
import { MB, XLSX_TYPE } from '@gridline/domain';
import { containsBytes, GPS_MARK, jpegWithGps } from '@gridline/domain/uploads/testing';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBook } from '../bench/books';
import { startTestStack, type TestStack } from '../support/stack';

// Uploads against DynamoDB Local and the local stack's signed `/blobs` endpoint (the bucket's stand-in):
// the slot, the browser-style form POST, completion with its checks, and the short-lived link.

let stack: TestStack;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  for (const u of ['qingshi.admin', 'qingshi.station1', 'qingshi.auditor', 'qingshi.grid1', 'qingshi.grid2', 'taoyuan.admin'])
    tokens[u] = await stack.token(u);
});
afterAll(() => stack.close());

type Json = Record<string, unknown> & { error?: { code: string; message: string } };
type Slot = { uploadId: string; form: { url: string; fields: Record<string, string> }; expiresAt: string; maxBytes: number };

const api = async (who: string, method: string, path: string, body?: unknown) => {
  const r = await stack.call(method, path, { token: tokens[who], ...(body === undefined ? {} : { body }) });
  return { status: r.status, json: r.body as Json, text: r.text };
};

const slot = (who: string, purpose: string, fileName: string, contentType: string, size: number) =>
  api(who, 'POST', '/town/uploads', { purpose, fileName, contentType, size });

/** Posts the file as a browser does: the form's fields, then the file, as multipart/form-data. */
async function post(form: Slot['form'], bytes: Uint8Array, contentType: string) {
  const data = new FormData();
  for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
  data.append('file', new Blob([bytes], { type: contentType }), 'file');
  const res = await fetch(new URL(form.url, stack.url), { method: 'POST', body: data });
  return res.status;
}

async function uploadAndComplete(who: string, purpose: string, fileName: string, contentType: string, bytes: Uint8Array) {
  const s = await slot(who, purpose, fileName, contentType, bytes.length);
  expect(s.status, s.text).toBe(201);
  const { uploadId, form } = s.json as unknown as Slot;
  expect(await post(form, bytes, contentType)).toBe(204);
  return { uploadId, done: await api(who, 'POST', `/town/uploads/${uploadId}/complete`) };
}

const ascii = (s: string) => new TextEncoder().encode(s);
const pdf = ascii('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('uploads', () => {
  it('slot, post, complete, link, download: the file comes back as sent', async () => {
    const s = await slot('qingshi.station1', 'attachment', '调解协议.pdf', 'application/pdf', pdf.length);
    expect(s.status, s.text).toBe(201);
    const body = s.json as unknown as Slot & { upload: { status: string } };
    expect(body.maxBytes).toBe(20 * MB);
    expect(body.upload.status).toBe('pending');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    // Not posted yet: nothing to complete, and no link.
    expect((await api('qingshi.station1', 'POST', `/town/uploads/${body.uploadId}/complete`)).json.error?.code).toBe('upload.not_uploaded');
    const early = await api('qingshi.station1', 'GET', `/town/uploads/${body.uploadId}/link`);
    expect([early.status, early.json.error?.code]).toEqual([409, 'upload.not_complete']);

    expect(await post(body.form, pdf, 'application/pdf')).toBe(204);
    const done = await api('qingshi.station1', 'POST', `/town/uploads/${body.uploadId}/complete`);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ uploadId: body.uploadId, status: 'ready', size: pdf.length, purpose: 'attachment' });
    // Completing again answers the same.
    expect((await api('qingshi.station1', 'POST', `/town/uploads/${body.uploadId}/complete`)).json).toMatchObject({ status: 'ready' });

    // A loose attachment is its uploader's alone; attached to a matter, it is for whoever reads the matter.
    expect((await api('qingshi.auditor', 'GET', `/town/uploads/${body.uploadId}/link`)).status).toBe(403);
    const matter = {
      categoryId: 'dispute',
      gridId: 'qs-g1',
      description: '邻里纠纷，附调解协议',
      reporter: { name: '当事人' },
      urgency: 'normal',
      channel: 'walk_in',
      attachmentIds: [body.uploadId],
    };
    const raised = await api('qingshi.grid1', 'POST', '/town/matters', matter);
    // Someone else's upload is not theirs to attach.
    expect([raised.status, raised.json.error?.code]).toEqual([422, 'matter.attachment_invalid']);
    const own = await api('qingshi.station1', 'POST', '/town/matters', matter);
    expect(own.status, own.text).toBe(201);
    const again = await api('qingshi.station1', 'POST', '/town/matters', matter);
    expect([again.status, again.json.error?.code]).toEqual([422, 'matter.attachment_invalid']);
    expect((await api('qingshi.grid1', 'GET', `/town/uploads/${body.uploadId}/link`)).status).toBe(200);
    expect((await api('qingshi.grid2', 'GET', `/town/uploads/${body.uploadId}/link`)).status).toBe(403);
    const link = await api('qingshi.auditor', 'GET', `/town/uploads/${body.uploadId}/link`);
    expect(link.status, link.text).toBe(200);
    const expiresIn = Date.parse(String(link.json.expiresAt)) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
    const file = await fetch(new URL(String(link.json.url), stack.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf);

    // The link cannot be bent to another key: a changed token is refused.
    const url = new URL(String(link.json.url), stack.url);
    const forged = `${url.pathname.slice(0, -3)}${url.pathname.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await fetch(new URL(forged, stack.url))).status).toBe(403);
  });

  it('keeps a JPEG without its GPS block', async () => {
    const jpeg = jpegWithGps();
    expect(containsBytes(jpeg, GPS_MARK)).toBe(true);
    const { uploadId, done } = await uploadAndComplete('qingshi.station1', 'attachment', 'photo.jpg', 'image/jpeg', jpeg);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'ready', locationStripped: true });
    const link = await api('qingshi.station1', 'GET', `/town/uploads/${uploadId}/link`);
    const bytes = new Uint8Array(await (await fetch(new URL(String(link.json.url), stack.url))).arrayBuffer());
    expect(containsBytes(bytes, GPS_MARK)).toBe(false);
    expect(containsBytes(bytes, ascii('Exif'))).toBe(false);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(bytes.length).toBe(done.json.size);
  });

  it('refuses bytes that are not the declared type, after the upload', async () => {
    const { done } = await uploadAndComplete(
      'qingshi.station1',
      'attachment',
      'photo.png',
      'image/png',
      ascii('<html><script>alert(1)</script>'),
    );
    expect([done.status, done.json.error?.code]).toEqual([415, 'upload.type_mismatch']);
  });

  it('refuses a type the purpose does not take, before anything is stored', async () => {
    const r = await slot('qingshi.station1', 'attachment', 'page.html', 'text/html', 100);
    expect([r.status, r.json.error?.code]).toEqual([415, 'upload.type_not_allowed']);
    const book = await slot('qingshi.station1', 'book_import', 'book.csv', 'text/csv', 100);
    expect([book.status, book.json.error?.code]).toEqual([403, 'upload.forbidden']);
    const auditor = await slot('qingshi.auditor', 'attachment', 'a.pdf', 'application/pdf', 100);
    expect(auditor.status).toBe(403);
  });

  it('refuses a file too large: by the declared size, while posting, and by the stored size', async () => {
    const declared = await slot('qingshi.station1', 'attachment', 'big.jpg', 'image/jpeg', 10 * MB + 1);
    expect([declared.status, declared.json.error?.code]).toEqual([413, 'upload.too_large']);

    // Declared small, posted large: the local endpoint stops at the slot's limit.
    const s = await slot('qingshi.station1', 'attachment', 'big.jpg', 'image/jpeg', 1000);
    const { uploadId, form, maxBytes } = s.json as unknown as Slot;
    const big = new Uint8Array(maxBytes + 1);
    big.set([0xff, 0xd8, 0xff]);
    expect(await post(form, big, 'image/jpeg')).toBe(413);

    // A store that let it through anyway (S3 enforces the policy; this checks the second line): refused on completion.
    await blobStore().put(uploadObjectKeys('qingshi', uploadId).incoming, big);
    const done = await api('qingshi.station1', 'POST', `/town/uploads/${uploadId}/complete`);
    expect([done.status, done.json.error?.code]).toEqual([413, 'upload.too_large']);
  });

  it("answers 404 for another town's upload, on every route", async () => {
    const { uploadId, done } = await uploadAndComplete('qingshi.station1', 'attachment', 'x.pdf', 'application/pdf', pdf);
    expect(done.status).toBe(200);
    for (const [method, path] of [
      ['GET', `/town/uploads/${uploadId}/link`],
      ['POST', `/town/uploads/${uploadId}/complete`],
    ] as const) {
      const r = await api('taoyuan.admin', method, path);
      expect([path, r.status, r.json.error?.code]).toEqual([path, 404, 'upload.not_found']);
    }
    const r = await api('taoyuan.admin', 'POST', '/town/imports', { uploadId });
    expect(r.status).toBe(404);
  });

  it('keeps book files to the town admins', async () => {
    const csv = ascii('序号,户编号,姓名\n');
    const { uploadId, done } = await uploadAndComplete('qingshi.admin', 'book_import', 'book.csv', 'text/csv', csv);
    expect(done.status, done.text).toBe(200);
    expect((await api('qingshi.station1', 'GET', `/town/uploads/${uploadId}/link`)).status).toBe(403);
    expect((await api('qingshi.admin', 'GET', `/town/uploads/${uploadId}/link`)).status).toBe(200);
    // An attachment is not a book: the import does not take it.
    const att = await uploadAndComplete('qingshi.admin', 'attachment', 'x.pdf', 'application/pdf', pdf);
    expect((await api('qingshi.admin', 'POST', '/town/imports', { uploadId: att.uploadId })).status).toBe(404);
    // An XLSX slot is fine up to 50 MB.
    expect((await slot('qingshi.admin', 'book_import', 'book.xlsx', XLSX_TYPE, 49 * MB)).status).toBe(201);
  });

  it('previews a book larger than the inline limit through its upload', async () => {
    const book = generateBook({ series: 82, firstSeries: 1, fileName: 'big-book.csv' });
    expect(book.bytes.length).toBeGreaterThan(4.4 * MB);
    const { uploadId, done } = await uploadAndComplete('qingshi.admin', 'book_import', book.fileName, 'text/csv', book.bytes);
    expect(done.status, done.text).toBe(200);
    const preview = await api('qingshi.admin', 'POST', '/town/imports', { uploadId });
    expect(preview.status, preview.text.slice(0, 500)).toBe(201);
    expect(preview.json).toMatchObject({ fileName: 'big-book.csv', status: 'previewed' });
    expect((preview.json.stats as { rows: number }).rows).toBe(book.rows);
    // Not completed: the import refuses it.
    const s = await slot('qingshi.admin', 'book_import', 'b.csv', 'text/csv', 10);
    const pending = await api('qingshi.admin', 'POST', '/town/imports', { uploadId: (s.json as unknown as Slot).uploadId });
    expect([pending.status, pending.json.error?.code]).toEqual([409, 'upload.not_complete']);
  }, 90_000);
});
