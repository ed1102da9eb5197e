import { readXlsx } from '@gridline/book';
import { shanghaiDay } from '@gridline/domain';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountMetrics } from '../support/recount';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

const as = (token: string) => ({
  post: async (path: string, body: unknown) => stack.call('POST', path, { token, body }),
  put: async (path: string, body: unknown) => stack.call('PUT', path, { token, body }),
  patch: async (path: string, body: unknown) => stack.call('PATCH', path, { token, body }),
  get: async (path: string) => stack.call('GET', path, { token }),
});
type Course = {
  courseId: string;
  title: string;
  on: string;
  version: number;
  year: number;
  attendees: number;
  credited: number;
  hours: number;
};
type Detail = { course: Course; attendance: Array<{ coordinatorId: string; name: string; attended: boolean; result: string }> };
type Ledger = {
  year: number;
  courses: Course[];
  people: Array<{ coordinatorId: string; name: string; hours: number; courses: number }>;
  totalHours: number;
};
type PersonYear = { name: string; hours: number; courses: Array<{ courseId: string; hours: number; result: string }> };
type Err = { error: { code: string } };

const recommend = { name: '韩梅', communityId: 'qingshi-sq', recommendedBy: '居民代表会议', on: '2026-09-01', votes: 22, method: 'votes' };
/** Two fresh people: one inspected and accepted, one rejected at inspection. */
async function people() {
  const api = as(admin);
  const ok = ((await api.post('/town/team', recommend)).body as { coordinatorId: string }).coordinatorId;
  await api.post(`/town/team/${ok}/inspect`, { inspector: '综治办', on: '2026-09-10', findings: '好', passed: true });
  const no = ((await api.post('/town/team', { ...recommend, name: '李雷' })).body as { coordinatorId: string }).coordinatorId;
  await api.post(`/town/team/${no}/inspect`, { inspector: '综治办', on: '2026-09-10', findings: '意见较多', passed: false });
  return { ok, no };
}
const hoursOf = async (id: string, year: number) => ((await as(admin).get(`/town/team/${id}/training/${year}`)).body as PersonYear).hours;

describe('the training ledger (issue 12)', () => {
  it("records a course and its attendance, moves a person's yearly hours by each change, and lists the year", async () => {
    const api = as(admin);
    const { ok } = await people();
    const created = await api.post('/town/training/courses', { title: '安全生产知识', on: '2026-05-20', hours: 3, trainer: '应急办' });
    expect(created.status).toBe(201);
    const course = created.body as Course;
    expect(course).toMatchObject({ year: 2026, version: 1, attendees: 0, credited: 0 });
    const path = `/town/training/courses/${course.courseId}`;
    const before = await hoursOf(ok, 2026);

    const put = await api.put(`${path}/attendance`, { version: 1, attendance: [{ coordinatorId: ok, attended: true, result: 'passed' }] });
    expect(put.status).toBe(200);
    expect((put.body as Detail).course).toMatchObject({ version: 2, attendees: 1, credited: 1 });
    expect(await hoursOf(ok, 2026)).toBe(before + 3);

    // Failing it takes the hours away; passing again gives them back.
    await api.put(`${path}/attendance`, { version: 2, attendance: [{ coordinatorId: ok, attended: true, result: 'failed' }] });
    expect(await hoursOf(ok, 2026)).toBe(before);
    await api.put(`${path}/attendance`, { version: 3, attendance: [{ coordinatorId: ok, attended: true, result: 'passed' }] });
    // New hours move the attendee's total.
    const changed = await api.patch(path, { version: 4, hours: 5.5, title: '安全生产知识（二）' });
    expect(changed.body).toMatchObject({ version: 5, hours: 5.5, title: '安全生产知识（二）' });
    const mine = (await api.get(`/town/team/${ok}/training/2026`)).body as PersonYear;
    expect(mine.hours).toBe(before + 5.5);
    expect(mine.courses.find((c) => c.courseId === course.courseId)).toMatchObject({ hours: 5.5, result: 'passed' });

    const detail = (await api.get(path)).body as Detail;
    expect(detail.attendance).toEqual([{ coordinatorId: ok, name: '韩梅', attended: true, result: 'passed' }]);

    const ledger = (await api.get('/town/training/2026')).body as Ledger;
    expect(ledger.courses.map((c) => c.courseId)).toContain(course.courseId);
    expect(ledger.people.find((p) => p.coordinatorId === ok)?.hours).toBe(before + 5.5);
    expect(ledger.totalHours).toBe(ledger.people.reduce((s, p) => s + p.hours, 0));
    // The ledger's people are the sums of their credited courses.
    for (const p of ledger.people) {
      const y = (await api.get(`/town/team/${p.coordinatorId}/training/2026`)).body as PersonYear;
      expect(y.hours).toBe(p.hours);
    }
    // A person with no training that year has zero hours and no courses.
    expect((await api.get(`/town/team/${ok}/training/2020`)).body).toMatchObject({ hours: 0, courses: [] });
  });

  it('refuses bad input with dotted codes: rejected people, unknown people, stale versions, other years', async () => {
    const api = as(admin);
    const { ok, no } = await people();
    const course = (await api.post('/town/training/courses', { title: '消防知识', on: '2026-07-01', hours: 2, trainer: '消防站' }))
      .body as Course;
    const path = `/town/training/courses/${course.courseId}`;
    const refuse = async (res: Promise<{ status: number; body: unknown }>) => {
      const r = await res;
      return [r.status, (r.body as Err).error?.code];
    };
    expect(
      await refuse(api.put(`${path}/attendance`, { version: 1, attendance: [{ coordinatorId: no, attended: true, result: 'none' }] })),
    ).toEqual([422, 'training.rejected_member']);
    expect(
      await refuse(
        api.put(`${path}/attendance`, { version: 1, attendance: [{ coordinatorId: 'nobody-1', attended: true, result: 'none' }] }),
      ),
    ).toEqual([422, 'training.not_on_team']);
    expect(
      await refuse(api.put(`${path}/attendance`, { version: 1, attendance: [{ coordinatorId: ok, attended: false, result: 'passed' }] })),
    ).toEqual([422, 'training.result_without_attendance']);
    const twice = { coordinatorId: ok, attended: true, result: 'none' };
    expect(await refuse(api.put(`${path}/attendance`, { version: 1, attendance: [twice, twice] }))).toEqual([
      400,
      'training.duplicate_person',
    ]);
    expect(await refuse(api.put(`${path}/attendance`, { version: 9, attendance: [] }))).toEqual([409, 'conflict.version']);
    expect(await refuse(api.patch(path, { version: 1, on: '2025-12-31' }))).toEqual([422, 'training.other_year']);
    expect(await refuse(api.post('/town/training/courses', { title: '过早', on: '1999-01-01', hours: 2, trainer: '某' }))).toEqual([
      422,
      'training.date_range',
    ]);
    expect((await api.post('/town/training/courses', { title: '半小时', on: '2026-07-01', hours: 1.25, trainer: '某' })).status).toBe(400);
    expect((await api.post('/town/training/courses', { title: '', on: '2026-07-01', hours: 1, trainer: '某' })).status).toBe(400);
    expect((await api.post('/town/training/courses', { title: 'x', on: '2026-07-01', hours: 1, trainer: '某', extra: 1 })).status).toBe(
      400,
    );
    expect(await refuse(api.get('/town/training/courses/NOSUCH'))).toEqual([404, 'training.not_found']);
    expect((await api.get('/town/training/26')).status).toBe(400);
    // Nothing refused changed the course.
    expect(((await api.get(path)).body as Detail).course).toMatchObject({ version: 1, attendees: 0 });
  });

  it('lets staff and auditors read; only a town admin records; a grid coordinator neither', async () => {
    const course = (await as(admin).post('/town/training/courses', { title: '读权限', on: '2026-08-01', hours: 1, trainer: '某' }))
      .body as Course;
    const coordinator = as(await stack.token('qingshi.grid1'));
    expect((await coordinator.post('/town/training/courses', { title: '不行', on: '2026-08-01', hours: 1, trainer: '某' })).status).toBe(
      403,
    );
    expect((await coordinator.get('/town/training/2026')).status).toBe(403);
    const auditor = as(await stack.token('qingshi.auditor'));
    expect((await auditor.get('/town/training/2026')).status).toBe(200);
    expect((await auditor.get(`/town/training/courses/${course.courseId}`)).status).toBe(200);
    expect((await auditor.put(`/town/training/courses/${course.courseId}/attendance`, { version: 1, attendance: [] })).status).toBe(403);
    expect((await auditor.patch(`/town/training/courses/${course.courseId}`, { version: 1, hours: 2 })).status).toBe(403);
    const staff = as(await stack.token('qingshi.station1'));
    expect((await staff.get('/town/training/2026/export')).status).toBe(200);
  });

  it('exports the year as XLSX that reads back with the same courses, people and hours', async () => {
    const api = as(admin);
    // The demo seeds courses of this year (in China).
    const year = Number(shanghaiDay(new Date()).slice(0, 4));
    const ledger = (await api.get(`/town/training/${year}`)).body as Ledger;
    expect(ledger.courses.length).toBeGreaterThan(0);
    const res = await api.get(`/town/training/${year}/export`);
    expect(res.status).toBe(200);
    const file = res.body as { fileName: string; contentBase64: string; courses: number };
    expect(file.fileName).toBe(`training-${year}.xlsx`);
    expect(file.courses).toBe(ledger.courses.length);
    const rows = readXlsx(Buffer.from(file.contentBase64, 'base64')).rows;
    expect(rows[0]?.[0]).toContain(`${year}年度协管员培训台账`);
    for (const c of ledger.courses) {
      const lines = rows.filter((r) => r[2] === c.title && r[1] === c.on);
      expect(lines.length).toBe(Math.max(c.attendees, 1));
      expect(lines.filter((r) => Number(r[8]) > 0).length).toBe(c.credited);
    }
    // The totals section: each person's hours as the ledger has them.
    const start = rows.findIndex((r) => r[0] === '个人年度学时合计');
    expect(start).toBeGreaterThan(1);
    const totals = rows.slice(start + 1).map((r) => [r[1], Number(r[3])]);
    expect(totals).toEqual(ledger.people.map((p) => [p.name, p.hours]));
  });

  it('rolls training hours up to the county, equal to an independent recount', async () => {
    const api = as(admin);
    const county = await stack.token('county.admin');
    const { ok } = await people();
    const period = '2026-10';
    const figures = async () => {
      expect((await stack.call('POST', '/admin/rollups/run', { token: county, body: { period } })).status).toBe(200);
      const view = (await stack.call('GET', '/admin/rollups', { token: county, query: { period } })).body as {
        towns: Array<{ townId: string; metrics: Record<string, number> }>;
      };
      const m = view.towns.find((t) => t.townId === 'qingshi')?.metrics ?? {};
      expect(m).toEqual(await recountMetrics('qingshi', period));
      return m.training_hours ?? 0;
    };
    const before = await figures();
    const course = (await api.post('/town/training/courses', { title: '十月课程', on: '2026-10-08', hours: 6, trainer: '某' }))
      .body as Course;
    const path = `/town/training/courses/${course.courseId}`;
    await api.put(`${path}/attendance`, { version: 1, attendance: [{ coordinatorId: ok, attended: true, result: 'passed' }] });
    expect(await figures()).toBe(before + 6);
    // Moved to November, its hours leave October.
    await api.patch(path, { version: 2, on: '2026-11-03' });
    expect(await figures()).toBe(before);
  });
});
