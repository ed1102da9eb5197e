import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors';
import type { AttendanceEntry, AttendanceView } from './api';
import {
  type Course,
  courseYear,
  isCredited,
  type MemberInfo,
  MAX_ATTENDEES,
  type PersonYear,
  planAttendance,
  planCourseChange,
  planNewCourse,
  shanghaiDay,
  validateCourse,
} from './rules';

const NOW = '2026-12-05T08:00:00.000Z';
const course = (over: Partial<Course> = {}): Course => ({
  ...planNewCourse('C1', { title: '矛盾纠纷调解', on: '2026-06-10', hours: 4, trainer: '镇司法所' }, NOW).course,
  ...over,
});
const members: Record<string, MemberInfo> = {
  a: { name: '张三', stage: 'appointed' },
  b: { name: '李四', stage: 'trained' },
  c: { name: '王五', stage: 'dismissed' },
  r: { name: '赵六', stage: 'rejected' },
};
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'none';
};
const attend = (entries: AttendanceEntry[], current: AttendanceView[] = [], totals: Record<string, PersonYear> = {}, c = course()) =>
  planAttendance({ now: NOW, course: c, version: 1, expected: 1, current, members, totals }, entries);

describe('the year of a course and the day in China', () => {
  it('takes the year from the calendar day, and the day of an instant in Asia/Shanghai', () => {
    expect(courseYear('2026-01-01')).toBe(2026);
    // 16:30 UTC on New Year's Eve is already 00:30 on 1 January in China.
    expect(shanghaiDay('2025-12-31T16:30:00Z')).toBe('2026-01-01');
    expect(shanghaiDay('2025-12-31T15:59:59Z')).toBe('2025-12-31');
  });
  it('refuses dates before 2000 or beyond next year, and hours not in half hours', () => {
    expect(code(() => validateCourse({ on: '1999-12-31', hours: 2 }, NOW))).toBe('training.date_range');
    expect(code(() => validateCourse({ on: '2028-01-01', hours: 2 }, NOW))).toBe('training.date_range');
    expect(code(() => validateCourse({ on: '2027-12-31', hours: 2 }, NOW))).toBe('none');
    expect(code(() => validateCourse({ on: '2026-05-01', hours: 1.25 }, NOW))).toBe('training.hours');
    expect(code(() => validateCourse({ on: '2026-05-01', hours: 0 }, NOW))).toBe('training.hours');
  });
  it('creates a course with nobody listed, in the year of its date', () => {
    const c = course();
    expect(c).toMatchObject({ courseId: 'C1', year: 2026, attendees: 0, credited: 0 });
  });
});

describe('attendance', () => {
  it('credits those who attended and did not fail, and moves the month counter by those hours', () => {
    const plan = attend([
      { coordinatorId: 'a', attended: true, result: 'passed' },
      { coordinatorId: 'b', attended: true, result: 'failed' },
      { coordinatorId: 'c', attended: false, result: 'none', note: '请假' },
    ]);
    expect(plan.course).toMatchObject({ attendees: 3, credited: 1 });
    expect(plan.put.map((p) => [p.coordinatorId, p.name])).toEqual([
      ['a', '张三'],
      ['b', '李四'],
      ['c', '王五'],
    ]);
    expect(plan.totals.map((t) => [t.after.coordinatorId, t.after.hours, t.after.courses.length])).toEqual([
      ['a', 4, 1],
      ['b', 0, 1],
      ['c', 0, 1],
    ]);
    expect(plan.counters).toEqual([{ scope: 'MONTH#2026-06', deltas: { training_hours: 4 } }]);
  });

  it('refuses people not on the team, rejected, listed twice, or a result without attendance', () => {
    expect(code(() => attend([{ coordinatorId: 'x', attended: true, result: 'none' }]))).toBe('training.not_on_team');
    expect(code(() => attend([{ coordinatorId: 'r', attended: true, result: 'none' }]))).toBe('training.rejected_member');
    const twice: AttendanceEntry = { coordinatorId: 'a', attended: true, result: 'none' };
    expect(code(() => attend([twice, twice]))).toBe('training.duplicate_person');
    expect(code(() => attend([{ coordinatorId: 'a', attended: false, result: 'passed' }]))).toBe('training.result_without_attendance');
    const many = Array.from({ length: MAX_ATTENDEES + 1 }, (_, i) => ({ coordinatorId: `p${i}`, attended: true, result: 'none' as const }));
    expect(code(() => attend(many))).toBe('training.too_many');
  });

  it('refuses a stale version', () => {
    expect(code(() => planAttendance({ now: NOW, course: course(), version: 2, expected: 1, current: [], members, totals: {} }, []))).toBe(
      'conflict.version',
    );
  });

  it('moves a total by the delta when a result changes, and drops the course from a person no longer listed', () => {
    const current: AttendanceView[] = [
      { coordinatorId: 'a', name: '张三', attended: true, result: 'passed' },
      { coordinatorId: 'b', name: '李四', attended: true, result: 'none' },
    ];
    const c = course({ attendees: 2, credited: 2 });
    const entry = () => ({ courseId: 'C1', title: c.title, on: c.on, hours: 4, attended: true, result: 'passed' as const });
    const totals: Record<string, PersonYear> = {
      a: { coordinatorId: 'a', name: '张三', year: 2026, hours: 10, courses: [entry()] },
      b: { coordinatorId: 'b', name: '李四', year: 2026, hours: 4, courses: [{ ...entry(), result: 'none' }] },
    };
    const plan = attend([{ coordinatorId: 'a', attended: true, result: 'failed' }], current, totals, c);
    expect(plan.remove).toEqual(['b']);
    const after = Object.fromEntries(plan.totals.map((t) => [t.after.coordinatorId, t]));
    expect(after.a?.after.hours).toBe(6);
    expect(after.a?.before?.hours).toBe(10);
    expect(after.b?.after).toMatchObject({ hours: 0, courses: [] });
    expect(plan.counters).toEqual([{ scope: 'MONTH#2026-06', deltas: { training_hours: -8 } }]);
    expect(plan.course).toMatchObject({ attendees: 1, credited: 0 });
  });

  it('writes nothing to a total when only a note changes', () => {
    const current: AttendanceView[] = [{ coordinatorId: 'a', name: '张三', attended: true, result: 'passed' }];
    const plan = attend([{ coordinatorId: 'a', attended: true, result: 'passed', note: '表现好' }], current);
    expect(plan.put).toHaveLength(1);
    expect(plan.totals).toEqual([]);
    expect(plan.counters).toEqual([]);
  });

  it('keeps every total equal to the credited hours of its courses, whatever the sequence of lists', () => {
    const line = fc.record({ attended: fc.boolean(), result: fc.constantFrom('passed', 'failed', 'none' as const) });
    const list = fc.dictionary(fc.constantFrom('a', 'b', 'c'), line).map((d) =>
      Object.entries(d).map(([coordinatorId, l]) => ({
        coordinatorId,
        attended: l.attended,
        result: l.attended ? l.result : ('none' as const),
      })),
    );
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 6 }), (lists) => {
        let current: AttendanceView[] = [];
        const totals: Record<string, PersonYear> = {};
        let counter = 0;
        let c = course();
        let version = 1;
        for (const entries of lists) {
          const plan = planAttendance({ now: NOW, course: c, version, expected: version, current, members, totals }, entries);
          for (const t of plan.totals) totals[t.after.coordinatorId] = t.after;
          counter += plan.counters.reduce((s, m) => s + (m.deltas.training_hours ?? 0), 0);
          const byId = new Map(current.map((a) => [a.coordinatorId, a]));
          for (const p of plan.put) byId.set(p.coordinatorId, p);
          for (const r of plan.remove) byId.delete(r);
          current = [...byId.values()];
          c = plan.course;
          version++;
        }
        const credited = current.filter(isCredited).length;
        expect(counter).toBe(credited * 4);
        expect(c.credited).toBe(credited);
        for (const id of ['a', 'b', 'c']) {
          const mine = current.find((x) => x.coordinatorId === id);
          expect(totals[id]?.hours ?? 0).toBe(mine && isCredited(mine) ? 4 : 0);
          expect(totals[id]?.courses.length ?? 0).toBe(mine ? 1 : 0);
        }
      }),
    );
  });
});

describe('changing a course', () => {
  const attendance: AttendanceView[] = [
    { coordinatorId: 'a', name: '张三', attended: true, result: 'passed' },
    { coordinatorId: 'b', name: '李四', attended: true, result: 'failed' },
  ];
  const c = course({ attendees: 2, credited: 1 });
  const entry = (result: 'passed' | 'failed') => ({
    courseId: 'C1',
    title: c.title,
    on: c.on,
    hours: 4,
    attended: true,
    result,
  });
  const totals: Record<string, PersonYear> = {
    a: { coordinatorId: 'a', name: '张三', year: 2026, hours: 7, courses: [entry('passed')] },
    b: { coordinatorId: 'b', name: '李四', year: 2026, hours: 0, courses: [entry('failed')] },
  };
  const change = (body: Parameters<typeof planCourseChange>[1]) =>
    planCourseChange({ now: NOW, course: c, version: 3, attendance, totals }, body);

  it("moves every credited attendee's total by the new hours, and the month counter", () => {
    const plan = change({ version: 3, hours: 6 });
    expect(plan.totals.map((t) => [t.after.coordinatorId, t.after.hours, t.after.courses[0]?.hours])).toEqual([
      ['a', 9, 6],
      ['b', 0, 6],
    ]);
    expect(plan.counters).toEqual([{ scope: 'MONTH#2026-06', deltas: { training_hours: 2 } }]);
  });
  it("moves the credited hours to the new month's counter when the date moves within the year", () => {
    const plan = change({ version: 3, on: '2026-07-01' });
    expect(plan.counters).toEqual([
      { scope: 'MONTH#2026-06', deltas: { training_hours: -4 } },
      { scope: 'MONTH#2026-07', deltas: { training_hours: 4 } },
    ]);
    expect(plan.totals[0]?.after.courses[0]?.on).toBe('2026-07-01');
  });
  it('touches no total when only the trainer changes; refuses another year and a stale version', () => {
    expect(change({ version: 3, trainer: '县司法局' }).totals).toEqual([]);
    expect(code(() => change({ version: 3, on: '2025-12-31' }))).toBe('training.other_year');
    expect(code(() => change({ version: 2, title: 'x' }))).toBe('conflict.version');
  });
});
