import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scanAll } from '@gridline/data/admin';
import { boundRoutes } from '@gridline/functions';
import { runJob } from '@gridline/functions/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

const fixtures = resolve(import.meta.dirname, '../../packages/book/fixtures');
const sample = (name: string) => readFileSync(join(fixtures, name));

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

type Stats = {
  rows: number;
  accepted: number;
  rejected: number;
  households: number;
  create: number;
  update: number;
  unchanged: number;
  newHouseholds: number;
};
type ImportView = {
  importId: string;
  status: string;
  stats: Stats;
  issues: Array<{ row?: number; code: string; field?: string }>;
  progress?: { done: number; total: number; created: number };
};

async function preview(fileName: string, bytes: Uint8Array, token = admin) {
  const r = await stack.call('POST', '/town/imports', { token, body: { fileName, contentBase64: Buffer.from(bytes).toString('base64') } });
  return { status: r.status, body: r.body as ImportView };
}

async function commitAndWait(importId: string): Promise<ImportView> {
  const r = await stack.call('POST', `/town/imports/${importId}/commit`, { token: admin });
  expect(r.status, r.text).toBe(202);
  for (let i = 0; i < 600; i++) {
    const s = (await stack.call('GET', `/town/imports/${importId}`, { token: admin })).body as ImportView;
    if (s.status === 'done' || s.status === 'failed') return s;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('import did not finish');
}

const people = async () =>
  (await scanAll()).filter((i) => i.type === 'Person' && String(i.pk).startsWith('T#qingshi#') && i.status === 'active');

describe('importing the population book', () => {
  it('imports the GBK CSV as 400 people in 131 households with no errors, and the other two forms then change nothing', async () => {
    const first = await preview('book.csv', sample('book.csv'));
    expect(first.status).toBe(201);
    expect(first.body.stats).toMatchObject({
      rows: 400,
      accepted: 400,
      rejected: 0,
      households: 131,
      create: 400,
      update: 0,
      unchanged: 0,
      newHouseholds: 131,
    });
    const done = await commitAndWait(first.body.importId);
    expect(done).toMatchObject({ status: 'done', progress: { done: 400, total: 400, created: 400 } });
    expect(await people()).toHaveLength(400);
    const households = (await scanAll()).filter((i) => i.type === 'Household' && String(i.pk).startsWith('T#qingshi#'));
    expect(households).toHaveLength(131);

    for (const name of ['book-utf8.csv', 'book.xlsx']) {
      const again = await preview(name, sample(name));
      expect([name, again.body.stats]).toEqual([
        name,
        expect.objectContaining({ accepted: 400, rejected: 0, create: 0, update: 0, unchanged: 400, newHouseholds: 0 }),
      ]);
    }
    // Committing a file that changes nothing writes no person and no household.
    const before = (await scanAll()).filter((i) => ['Person', 'Household', 'IdLock'].includes(String(i.type)));
    const rerun = await preview('book.csv', sample('book.csv'));
    await commitAndWait(rerun.body.importId);
    const after = (await scanAll()).filter((i) => ['Person', 'Household', 'IdLock'].includes(String(i.type)));
    expect(after).toEqual(before);

    const drift = (await runJob({ job: 'reconcile', town: 'qingshi' })) as Array<{ drift: number; people: number; households: number }>;
    expect(drift[0]).toMatchObject({ drift: 0, people: 400 });
    // The map counts floating and special-group people per grid from the counters.
    const map = (await stack.call('GET', '/town/map', { token: admin })).body as { grids: Array<{ people: number; floating: number }> };
    expect(map.grids.reduce((n, g) => n + g.people, 0)).toBe(400);
  });

  it('exports the book in the same layout so that it re-imports unchanged', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const r = await stack.call('GET', '/town/export', { token: admin, query: { format } });
      expect(r.status, r.text).toBe(200);
      const file = r.body as { fileName: string; contentBase64: string; people: number };
      expect(file.people).toBe(400);
      const back = await preview(file.fileName, Buffer.from(file.contentBase64, 'base64'));
      expect([format, back.body.stats]).toEqual([
        format,
        expect.objectContaining({ rows: 400, rejected: 0, create: 0, update: 0, unchanged: 400 }),
      ]);
    }
    const audits = (await scanAll()).filter((i) => i.action === 'book.export');
    expect(audits).toHaveLength(2);
  });

  it('reports every damaged row with its reason, imports the good rows, and offers an error file', async () => {
    const text = sample('book-utf8.csv')
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/);
    // Data rows start at line 3 (title, header). New people in a new household so the good rows are creations.
    const damaged = lines.slice(0, 2);
    const rows = lines.slice(2, 12).map((l) => l.split(','));
    rows.forEach((cells, i) => {
      cells[1] = `Z${String(i).padStart(5, '0')}`; // 户编号
      // Another birth year (a leap year, so 29 February stays a date): new people, not the sample's.
      cells[6] = (cells[6] as string).replace(/^(\d{6})\d{4}/, `$1${1952 + 4 * i}`);
    });
    // That breaks every check digit: recompute them, then damage some rows on purpose.
    const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const fix = (id: string) => {
      const body = id.slice(0, 17);
      return body + '10X98765432'[[...body].reduce((s, d, i) => s + Number(d) * (W[i] as number), 0) % 11];
    };
    for (const cells of rows) {
      cells[6] = fix(cells[6] as string);
      const id = cells[6] as string;
      cells[5] = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    }
    (rows[1] as string[])[6] = `${(rows[1] as string[])[6]?.slice(0, 17)}${(rows[1] as string[])[6]?.endsWith('0') ? '1' : '0'}`; // bad check digit
    (rows[3] as string[])[7] = '12345'; // bad phone
    (rows[5] as string[])[9] = '滨江网格'; // no such grid (第九网格 would be a near-miss of 第一网格)
    (rows[7] as string[])[2] = ''; // no name
    damaged.push(...rows.map((c) => c.join(',')));
    const r = await preview('damaged.csv', new TextEncoder().encode(`\uFEFF${damaged.join('\r\n')}\r\n`));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.stats).toMatchObject({ rows: 10, rejected: 4, accepted: 6, create: 6 });
    expect(r.body.issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'id.check_digit'],
      [4, expect.stringMatching(/^phone\./)],
      [6, 'import.grid_unknown'],
      [8, expect.stringMatching(/name/)],
    ]);
    const errors = await stack.call('GET', `/town/imports/${r.body.importId}/errors`, { token: admin, query: { format: 'csv' } });
    const csv = Buffer.from((errors.body as { contentBase64: string }).contentBase64, 'base64').toString('utf8');
    expect(csv.split(/\r?\n/).filter((l) => /^\d/.test(l))).toHaveLength(4);
    expect(csv).toContain('错误说明');
    // The title row names the error rows once (it once read "…（错误行）（导入错误）").
    expect(csv.split(/\r?\n/)[0]?.match(/错误行|导入错误/g)).toEqual(['错误行']);
    const before = (await people()).length;
    expect((await commitAndWait(r.body.importId)).status).toBe('done');
    expect((await people()).length).toBe(before + 6);
    // A committed import cannot be committed twice.
    expect((await stack.call('POST', `/town/imports/${r.body.importId}/commit`, { token: admin })).status).toBe(409);
  });

  it('refuses files that are not a book, and non-admins', async () => {
    const junk = await preview('notes.txt', new TextEncoder().encode('hello\nworld\n'));
    expect(junk.status).toBe(201);
    expect((junk.body as unknown as { fileErrors: unknown[] }).fileErrors.length).toBeGreaterThan(0);
    expect((await stack.call('POST', `/town/imports/${junk.body.importId}/commit`, { token: admin })).status).toBe(409);
    const coordinator = await stack.token('qingshi.grid1');
    expect((await preview('book.csv', sample('book.csv'), coordinator)).status).toBe(403);
    const bad = await stack.call('POST', '/town/imports', { token: admin, body: { fileName: 'x.csv', contentBase64: '%%%' } });
    expect(bad.status).toBe(400);
  });
});
