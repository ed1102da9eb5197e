import type { CounterDelta } from '../book/rules';
import { AppError } from '../errors';
import type { TeamStage } from '../team/rules';
import type { AttendanceEntry, AttendanceView, CourseChange, CourseView, NewCourse, PersonYearView } from './api';
import { MAX_ATTENDEES, MAX_COURSE_HOURS } from './limits';
import { shanghaiDay } from '../common/days';
export * from './limits';
export { shanghaiDay } from '../common/days';

/**
 * The training ledger's rules (培训台账), as pure functions: each takes what the caller read — the
 * course, its attendance, the team records named, the totals of the people touched — and refuses (an
 * AppError) or returns the change to commit: the course after, the attendance lines to write or drop,
 * each person's yearly total before and after, the counters and the audit action. `@gridline/data`
 * (training/) turns a plan into one transaction.
 *
 * A person is credited with a course's hours when they attended it and did not fail it (a course
 * without an assessment records the result `none`). Their yearly total, the course's `credited` count
 * and the county's `training_hours` counter (the month of the course's date) all follow that one rule.
 */

/** The earliest year a course may be dated. */
export const FIRST_TRAINING_YEAR = 2000;

/** A course as the rules see it (the store adds its version). */
export type Course = Omit<CourseView, 'version'>;
/** A person's total of one year as the store keeps it (without version). */
export type PersonYear = PersonYearView;
/** What the rules need of a team record named in an attendance list. */
export type MemberInfo = { name: string; stage: TeamStage };

/** The year of a course: its date is a calendar day in China (Asia/Shanghai), so the year is its first part. */
export const courseYear = (on: string): number => Number(on.slice(0, 4));
/** The month (yyyy-mm) a course's hours count in for the county rollup. */
export const courseMonth = (on: string): string => on.slice(0, 7);

/** Whether a line of attendance earns the course's hours: attended, and not failed. */
export const isCredited = (a: Pick<AttendanceEntry, 'attended' | 'result'>): boolean => a.attended && a.result !== 'failed';

/**
 * A course's fields checked together: the date lies between FIRST_TRAINING_YEAR and the end of next
 * year (as of `now` in China), the hours in half hours within bounds.
 */
export function validateCourse(c: Pick<NewCourse, 'on' | 'hours'>, now: string): void {
  const year = courseYear(c.on);
  const thisYear = courseYear(shanghaiDay(now));
  if (!Number.isFinite(year) || year < FIRST_TRAINING_YEAR || year > thisYear + 1)
    throw new AppError('training.date_range', 422, `A course is dated between ${FIRST_TRAINING_YEAR} and the end of next year.`, {
      field: 'body.on',
    });
  if (!(c.hours >= 0.5 && c.hours <= MAX_COURSE_HOURS && Number.isInteger(c.hours * 2)))
    throw new AppError('training.hours', 422, `Hours are half hours between 0.5 and ${MAX_COURSE_HOURS}.`, { field: 'body.hours' });
}

/** A new course: checked, with nobody listed yet. */
export function planNewCourse(
  courseId: string,
  body: NewCourse,
  now: string,
): { course: Course; audit: { action: string; details: Record<string, unknown> } } {
  validateCourse(body, now);
  return {
    course: { courseId, ...body, year: courseYear(body.on), attendees: 0, credited: 0, createdAt: now, updatedAt: now },
    audit: { action: 'training.course.create', details: { title: body.title, on: body.on, hours: body.hours } },
  };
}

/** One person's total moved by a change: before (absent when the person had none that year) and after. */
export type TotalChange = { before?: PersonYear; after: PersonYear };

export type AttendancePlan = {
  course: Course;
  /** Lines new or changed. */
  put: AttendanceView[];
  /** People no longer listed. */
  remove: string[];
  totals: TotalChange[];
  counters: CounterDelta[];
  audit: { action: string; details: Record<string, unknown> };
};

const versionConflict = () => new AppError('conflict.version', 409, 'Someone else changed this course first; reload and try again.');

const emptyTotal = (coordinatorId: string, name: string, year: number): PersonYear => ({
  coordinatorId,
  name,
  year,
  hours: 0,
  courses: [],
});

/** A person's course list with the entry of `course` replaced (or dropped when `line` is absent), by date. */
function withCourse(
  total: PersonYear,
  course: Course,
  line: Pick<AttendanceView, 'attended' | 'result'> | undefined,
): PersonYear['courses'] {
  const others = total.courses.filter((c) => c.courseId !== course.courseId);
  if (line)
    others.push({
      courseId: course.courseId,
      title: course.title,
      on: course.on,
      hours: course.hours,
      attended: line.attended,
      result: line.result,
    });
  return others.sort((a, b) => a.on.localeCompare(b.on) || a.courseId.localeCompare(b.courseId));
}

const sameLine = (a: AttendanceView, b: AttendanceView) =>
  a.attended === b.attended && a.result === b.result && (a.note ?? '') === (b.note ?? '');

/** The month counter delta of credited hours, when there is one. */
const monthCounter = (on: string, hours: number): CounterDelta[] =>
  hours ? [{ scope: `MONTH#${courseMonth(on)}`, deltas: { training_hours: hours } }] : [];

/**
 * Records a course's attendance as a whole: the list given replaces the one recorded. Only people on
 * the town's team who were not rejected may be listed, each once; a result needs attendance. Each
 * person whose line changes has their year's total moved by the hours gained or lost.
 */
export function planAttendance(
  ctx: {
    now: string;
    course: Course;
    /** The course's version as read, and as the caller last saw it. */
    version: number;
    expected: number;
    current: readonly AttendanceView[];
    members: Readonly<Record<string, MemberInfo | undefined>>;
    totals: Readonly<Record<string, PersonYear | undefined>>;
  },
  entries: readonly AttendanceEntry[],
): AttendancePlan {
  const { course, now } = ctx;
  if (ctx.expected !== ctx.version) throw versionConflict();
  if (entries.length > MAX_ATTENDEES)
    throw new AppError('training.too_many', 422, `A course lists at most ${MAX_ATTENDEES} people.`, { field: 'body.attendance' });
  const seen = new Set<string>();
  const after = new Map<string, AttendanceView>();
  entries.forEach((e, i) => {
    const field = `body.attendance.${i}`;
    if (seen.has(e.coordinatorId))
      throw new AppError('training.duplicate_person', 400, 'A person is listed twice.', { field: `${field}.coordinatorId` });
    seen.add(e.coordinatorId);
    const m = ctx.members[e.coordinatorId];
    if (!m)
      throw new AppError('training.not_on_team', 422, `Not on the town's team: ${e.coordinatorId}.`, { field: `${field}.coordinatorId` });
    if (m.stage === 'rejected')
      throw new AppError('training.rejected_member', 422, `${m.name} was not accepted after inspection and cannot be listed.`, {
        field: `${field}.coordinatorId`,
      });
    if (!e.attended && e.result !== 'none')
      throw new AppError('training.result_without_attendance', 422, 'Someone who did not attend has no result.', {
        field: `${field}.result`,
      });
    after.set(e.coordinatorId, {
      coordinatorId: e.coordinatorId,
      name: m.name,
      attended: e.attended,
      result: e.result,
      ...(e.note ? { note: e.note } : {}),
    });
  });
  const before = new Map(ctx.current.map((a) => [a.coordinatorId, a]));

  const put = [...after.values()].filter((a) => {
    const b = before.get(a.coordinatorId);
    return !b || !sameLine(a, b);
  });
  const remove = [...before.keys()].filter((id) => !after.has(id));

  const totals: TotalChange[] = [];
  let delta = 0;
  for (const id of [...put.map((a) => a.coordinatorId), ...remove]) {
    const b = before.get(id);
    const a = after.get(id);
    const gained = (a && isCredited(a) ? course.hours : 0) - (b && isCredited(b) ? course.hours : 0);
    delta += gained;
    // A note alone does not show in the person's total.
    if (a && b && a.attended === b.attended && a.result === b.result) continue;
    const read = ctx.totals[id];
    const base = read ?? emptyTotal(id, a?.name ?? b?.name ?? id, course.year);
    totals.push({
      ...(read ? { before: read } : {}),
      after: { ...base, hours: base.hours + gained, courses: withCourse(base, course, a) },
    });
  }
  const list = [...after.values()];
  return {
    course: { ...course, attendees: list.length, credited: list.filter(isCredited).length, updatedAt: now },
    put,
    remove,
    totals,
    counters: monthCounter(course.on, delta),
    audit: {
      action: 'training.attendance',
      details: { attendees: list.length, credited: list.filter(isCredited).length, changed: put.length + remove.length, hours: delta },
    },
  };
}

export type CourseChangePlan = {
  course: Course;
  totals: TotalChange[];
  counters: CounterDelta[];
  audit: { action: string; details: Record<string, unknown> };
};

/**
 * Changes a course's title, date, hours or trainer. The date stays in its year (a course of another
 * year is a new course). New hours move the total of everyone credited, and the county counter; a new
 * month moves the credited hours from the old month's counter to the new one's.
 */
export function planCourseChange(
  ctx: {
    now: string;
    course: Course;
    version: number;
    attendance: readonly AttendanceView[];
    totals: Readonly<Record<string, PersonYear | undefined>>;
  },
  change: CourseChange,
): CourseChangePlan {
  const { course: before, now } = ctx;
  if (change.version !== ctx.version) throw versionConflict();
  const { version: _v, ...fields } = change;
  const after: Course = { ...before, ...fields, updatedAt: now };
  validateCourse(after, now);
  if (courseYear(after.on) !== before.year)
    throw new AppError('training.other_year', 422, 'A course stays in its year; record a new course for another year.', {
      field: 'body.on',
    });

  const credited = ctx.attendance.filter(isCredited).length;
  const shown = after.title !== before.title || after.on !== before.on || after.hours !== before.hours;
  const totals: TotalChange[] = [];
  if (shown)
    for (const a of ctx.attendance) {
      const read = ctx.totals[a.coordinatorId];
      const base = read ?? emptyTotal(a.coordinatorId, a.name, before.year);
      const gained = isCredited(a) ? after.hours - before.hours : 0;
      totals.push({
        ...(read ? { before: read } : {}),
        after: { ...base, hours: base.hours + gained, courses: withCourse(base, after, a) },
      });
    }
  const counters: CounterDelta[] = [];
  if (credited && (after.hours !== before.hours || courseMonth(after.on) !== courseMonth(before.on))) {
    if (courseMonth(after.on) === courseMonth(before.on)) counters.push(...monthCounter(after.on, credited * (after.hours - before.hours)));
    else counters.push(...monthCounter(before.on, -credited * before.hours), ...monthCounter(after.on, credited * after.hours));
  }
  return {
    course: after,
    totals,
    counters,
    audit: {
      action: 'training.course.change',
      details: { ...fields, ...(fields.hours !== undefined ? { hoursBefore: before.hours } : {}) },
    },
  };
}

/** A year's total hours over people's totals. */
export const ledgerHours = (people: ReadonlyArray<{ hours: number }>): number => people.reduce((s, p) => s + p.hours, 0);
