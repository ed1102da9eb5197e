import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/api';
import { boundRoutes } from '@gridline/functions';
import { startTestStack, type TestStack } from '../support/stack';

/*
 * The working-day calendar (issue 13): county IT enters a year, every town counts with it, a town adds
 * its own closures. One stack for the file: the tests follow on from one another.
 */
let stack: TestStack;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  for (const u of ['county.admin', 'qingshi.admin', 'qingshi.grid1', 'taoyuan.admin', 'baisha.admin']) tokens[u] = await stack.token(u);
});
afterAll(() => stack.close());

const call = async (who: string, method: string, path: string, body?: unknown) => {
  const r = await stack.call(method, path, { token: tokens[who] ?? (await stack.token(who)), ...(body === undefined ? {} : { body }) });
  return { status: r.status, json: r.body as Json };
};

const y2027 = {
  year: 2027,
  source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-06', to: '2027-02-14' },
  ],
  makeUpWorkdays: ['2027-02-20'],
};

describe('the national calendar county IT enters', () => {
  it('lists 2026 as shipped and no 2027 yet; a town counts 2027 by weekends only and says so', async () => {
    const list = await call('county.admin', 'GET', '/admin/calendars');
    expect(list.status).toBe(200);
    expect(list.json.years).toEqual([expect.objectContaining({ year: 2026, origin: 'shipped', version: 0 })]);
    expect((await call('county.admin', 'GET', '/admin/calendars/2027')).status).toBe(404);
    const seen = await call('qingshi.grid1', 'GET', '/town/calendar?year=2027');
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ year: 2027, hasCalendar: false, holidays: [], makeUpWorkdays: [] });
    const y2026 = await call('qingshi.grid1', 'GET', '/town/calendar?year=2026');
    expect(y2026.json).toMatchObject({ year: 2026, hasCalendar: true, origin: 'shipped', workingDays: 248 });
  });

  it('refuses a calendar that does not hold, naming the field', async () => {
    const put = (body: unknown) => call('county.admin', 'PUT', '/admin/calendars/2027', body);
    const cases: Array<[unknown, string]> = [
      [{ ...y2027, version: 0, makeUpWorkdays: ['2027-02-19'] }, 'body.makeUpWorkdays.0'],
      [
        { ...y2027, version: 0, holidays: [...y2027.holidays, { name: '元宵', from: '2027-02-13', to: '2027-02-15' }] },
        'body.holidays.2.from',
      ],
      [{ ...y2027, version: 0, holidays: [{ name: '国庆节', from: '2028-10-01', to: '2028-10-07' }] }, 'body.holidays.0.from'],
      [{ ...y2027, year: 2028, version: 0 }, 'body.year'],
    ];
    for (const [body, field] of cases) {
      const r = await put(body);
      expect(r.status, field).toBe(422);
      expect(r.json.error?.field).toBe(field);
      expect(r.json.error?.message).toBeTruthy();
    }
    const shape = await put({ ...y2027, version: 0, makeUpWorkdays: ['2027-02-30'] });
    expect(shape.status).toBe(400);
    expect(shape.json.error?.field).toBe('body.makeUpWorkdays.0');
    expect((await call('county.admin', 'PUT', '/admin/calendars/1999', { ...y2027, version: 0 })).status).toBe(400);
    expect((await call('qingshi.admin', 'PUT', '/admin/calendars/2027', { ...y2027, version: 0 })).status).toBe(403);
  });

  it('saves 2027 at version 0, refuses a second save at the same version, and every town sees it', async () => {
    const saved = await call('county.admin', 'PUT', '/admin/calendars/2027', { ...y2027, version: 0 });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ year: 2027, origin: 'county', version: 1, savedBy: 'county.admin', calendar: y2027 });
    const again = await call('county.admin', 'PUT', '/admin/calendars/2027', { ...y2027, version: 0, makeUpWorkdays: [] });
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe('conflict.version');
    const list = await call('county.admin', 'GET', '/admin/calendars');
    expect((list.json.years as Array<{ year: number }>).map((y) => y.year)).toEqual([2026, 2027]);

    for (const who of ['qingshi.grid1', 'taoyuan.admin', 'baisha.admin']) {
      const seen = await call(who, 'GET', '/town/calendar?year=2027');
      expect(seen.json, who).toMatchObject({
        hasCalendar: true,
        origin: 'county',
        holidays: y2027.holidays,
        makeUpWorkdays: ['2027-02-20'],
      });
    }
    // The copies share the town's CONFIG partition with its settings, which read as before.
    const config = await call('taoyuan.admin', 'GET', '/town/config');
    expect(config.status).toBe(200);
    expect(Object.keys(config.json).sort()).toEqual(['keyGroups', 'posts', 'sla', 'specialGroups', 'visitCycles']);
    // A correction at the version read replaces the copy in the towns too.
    const fixed = await call('county.admin', 'PUT', '/admin/calendars/2027', {
      ...y2027,
      version: 1,
      makeUpWorkdays: ['2027-02-20', '2027-01-09'],
    });
    expect(fixed.json).toMatchObject({ version: 2 });
    expect((await call('taoyuan.admin', 'GET', '/town/calendar?year=2027')).json.makeUpWorkdays).toEqual(['2027-02-20', '2027-01-09']);
  });

  it('gives a newly provisioned town the years entered', async () => {
    const spec = { name: '新河镇', kind: 'town', admin: { username: 'xinhe.admin', displayName: '新河管理员' } };
    expect((await call('county.admin', 'PUT', '/admin/towns/xinhe', spec)).status).toBe(201);
    const seen = await call('xinhe.admin', 'GET', '/town/calendar?year=2027');
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ hasCalendar: true, origin: 'county', makeUpWorkdays: ['2027-02-20', '2027-01-09'] });
  });
});

describe("a town's closures", () => {
  it('are saved by a town admin at the version read and seen in that town only', async () => {
    expect((await call('qingshi.admin', 'GET', '/town/closures')).json).toEqual({ closures: [], version: 0 });
    const body = { version: 0, closures: [{ from: '2027-07-14', to: '2027-07-15', reason: '台风停工' }] };
    const saved = await call('qingshi.admin', 'PUT', '/town/closures', body);
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ version: 1, closures: body.closures, updatedBy: 'qingshi.admin' });
    expect((await call('qingshi.admin', 'PUT', '/town/closures', body)).status).toBe(409);

    const here = await call('qingshi.grid1', 'GET', '/town/calendar?year=2027');
    expect(here.json.closures).toEqual(body.closures);
    const elsewhere = await call('taoyuan.admin', 'GET', '/town/calendar?year=2027');
    expect(elsewhere.json.closures).toEqual([]);
    expect((here.json.workingDays as number) + 2).toBe(elsewhere.json.workingDays);
    expect((await call('taoyuan.admin', 'GET', '/town/closures')).json).toEqual({ closures: [], version: 0 });
    expect((await call('qingshi.admin', 'GET', '/town/config')).status).toBe(200);
  });

  it('cannot be saved by a coordinator, nor be longer than 31 days', async () => {
    const denied = await call('qingshi.grid1', 'PUT', '/town/closures', { version: 1, closures: [] });
    expect(denied.status).toBe(403);
    const long = await call('qingshi.admin', 'PUT', '/town/closures', {
      version: 1,
      closures: [{ from: '2027-07-01', to: '2027-08-15', reason: '太长' }],
    });
    expect(long.status).toBe(422);
    expect(long.json.error).toMatchObject({ code: 'closure.too_long', field: 'body.closures.0.to' });
    // The list given replaces the list kept.
    const cleared = await call('qingshi.admin', 'PUT', '/town/closures', { version: 1, closures: [] });
    expect(cleared.json).toMatchObject({ version: 2, closures: [] });
  });
});
