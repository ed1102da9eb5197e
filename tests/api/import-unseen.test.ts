import { unseenBook, unseenGbk, unseenUtf8, unseenXlsx } from '@gridline/book/testing/unseen';
import { scanAll } from '@gridline/data/admin';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

// A town's real book that no other test has seen (its own column names, a title and a note row, GBK,
// UTF-8 and XLSX, damaged rows of many kinds), imported into a freshly provisioned town that has no
// org chart yet: one preview (after the user names the one column nothing else could place) and one commit.

let stack: TestStack;
let admin: string;
const TOWN = 'xinqiao';
const book = unseenBook();

type View = {
  importId: string;
  status: string;
  stats: { rows: number; accepted: number; rejected: number; create: number; unchanged: number; households: number };
  fileErrors: Array<{ code: string; message: { zh: string } }>;
  issues: Array<{ row?: number; code: string }>;
  warnings: Array<{ code: string; message: { zh: string } }>;
  columns: Array<{ header: string; field: string | null; how: string | null; evidence?: { zh: string } }>;
  org: { communities: string[]; grids: Array<{ community: string; grid: string }>; nearMisses: Array<{ name: string; existing: string }> };
};

beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  const county = await stack.token('county.admin');
  const made = await stack.call('PUT', `/admin/towns/${TOWN}`, {
    token: county,
    body: { name: '新桥镇', admin: { username: 'xinqiao.admin', displayName: '周敏' } },
  });
  expect(made.status, made.text).toBe(201);
  admin = await stack.token('xinqiao.admin');
});
afterAll(() => stack.close());

async function preview(fileName: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) {
  const r = await stack.call('POST', '/town/imports', {
    token: admin,
    body: { fileName, contentBase64: Buffer.from(bytes).toString('base64'), ...extra },
  });
  expect(r.status, r.text).toBe(201);
  return r.body as View;
}

async function commitAndWait(importId: string): Promise<View & { progress: { created: number; failed: number } }> {
  const r = await stack.call('POST', `/town/imports/${importId}/commit`, { token: admin });
  expect(r.status, r.text).toBe(202);
  for (let i = 0; i < 1200; i++) {
    const s = (await stack.call('GET', `/town/imports/${importId}`, { token: admin })).body as View & {
      progress: { created: number; failed: number };
    };
    if (s.status === 'done' || s.status === 'failed') return s;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('import did not finish');
}

const townItems = async () => (await scanAll()).filter((i) => String(i.pk).startsWith(`T#${TOWN}#`));

describe('the first import of a real book into a new town', () => {
  it('shows the mapping it used and names the column it could not place', async () => {
    const first = await preview('登记表.csv', unseenGbk(book));
    expect(first.fileErrors.map((e) => e.code)).toEqual(['file.missing_column']);
    expect(first.fileErrors[0]?.message.zh).toContain('门户编码');
    const how = Object.fromEntries(first.columns.map((c) => [c.header, [c.field, c.how]]));
    expect(how).toMatchObject({
      居民姓名: ['name', 'alias'],
      身份证件号: ['idNumber', 'content'],
      人员类别: ['residenceType', 'content'],
      门户编码: [null, null],
      籍贯: [null, null],
    });
    expect(first.columns.find((c) => c.header === '人员类别')?.evidence?.zh).toContain('户籍人口');
    expect(first.warnings.map((w) => w.code)).toContain('header.unknown_column');
  });

  it('lists the communities and grids the book names before the admin chooses to create them', async () => {
    const listed = await preview('登记表.csv', unseenGbk(book), { mapping: [{ header: '门户编码', field: 'householdNo' }] });
    expect(listed.org.communities.sort()).toEqual(['桥东社区', '柳河社区', '青石村'].sort());
    expect(listed.org.grids).toHaveLength(4);
    // Until they are to be created, their rows are refused and nothing is made.
    expect(listed.issues.every((i) => i.code === 'import.grid_unknown' || book.bad.has(i.row as number))).toBe(true);
    expect(listed.stats.accepted).toBe(0);
    expect((await townItems()).filter((i) => i.type === 'Community')).toEqual([]);
  });

  it('imports in one preview and commit, creating the org chart the book names, refusing exactly the damaged rows', async () => {
    const p = await preview('登记表.csv', unseenGbk(book), {
      mapping: [{ header: '门户编码', field: 'householdNo' }],
      createOrg: true,
    });
    expect(p.fileErrors).toEqual([]);
    expect(p.org.communities.sort()).toEqual(['桥东社区', '柳河社区', '青石村'].sort());
    expect(p.org.grids).toHaveLength(4);
    expect(p.columns.find((c) => c.header === '门户编码')).toMatchObject({ field: 'householdNo', how: 'user' });
    expect(p.issues.map((i) => [i.row, i.code])).toEqual([...book.bad.entries()]);
    expect(p.stats).toMatchObject({ rows: book.rows.length, rejected: book.bad.size, accepted: book.rows.length - book.bad.size });
    const done = await commitAndWait(p.importId);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({ created: book.rows.length - book.bad.size, failed: 0 });
    const items = await townItems();
    expect(items.filter((i) => i.type === 'Community')).toHaveLength(3);
    expect(items.filter((i) => i.type === 'Grid')).toHaveLength(4);
    expect(items.filter((i) => i.type === 'Person')).toHaveLength(book.rows.length - book.bad.size);
  }, 240_000);

  it('remembers the mapping: the UTF-8 and XLSX forms of the same book then change nothing', async () => {
    for (const [name, bytes] of [
      ['登记表-utf8.csv', unseenUtf8(book)],
      ['登记表.xlsx', unseenXlsx(book)],
    ] as const) {
      const again = await preview(name, bytes);
      expect(again.fileErrors, name).toEqual([]);
      expect(again.columns.find((c) => c.header === '门户编码')).toMatchObject({ field: 'householdNo', how: 'user' });
      expect(again.stats, name).toMatchObject({ create: 0, unchanged: book.rows.length - book.bad.size, rejected: book.bad.size });
      expect(again.org).toEqual({ communities: [], grids: [], nearMisses: [] });
    }
  }, 120_000);

  it('matches names that differ in spacing, width or suffix, and shows near-misses instead of creating them', async () => {
    const small = unseenBook(12);
    const community = small.header.indexOf('社区');
    const grid = small.header.indexOf('所在网格');
    for (const row of small.rows) {
      if (row[community] === '柳河社区') row[community] = '柳河';
      else if (row[community] === '青石村') row[grid] = `青石一网格`.replace('一', '　一').replace('网格', '');
      else if (row[community] === '桥东社区') row[community] = '桥冬社区';
    }
    const p = await preview('small.csv', unseenUtf8(small), { mapping: [{ header: '门户编码', field: 'householdNo' }], createOrg: true });
    expect(p.org.communities).toEqual([]);
    expect(p.org.grids).toEqual([]);
    expect(p.org.nearMisses).toEqual([expect.objectContaining({ kind: 'community', name: '桥冬社区', existing: '桥东社区' })]);
    const refused = new Set(p.issues.map((i) => i.code));
    expect([...refused].filter((c) => c.startsWith('import.'))).toEqual(['import.community_near_miss']);
  });
});
