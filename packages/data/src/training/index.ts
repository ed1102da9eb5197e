import { writeXlsx } from '@gridline/book';
import {
  AppError,
  type AttendanceBody,
  type AttendanceView,
  type Course,
  type CourseChange,
  type CourseDetail,
  type CourseView,
  isCredited,
  type MemberInfo,
  type NewCourse,
  newId,
  type PersonYear,
  planAttendance,
  planCourseChange,
  planNewCourse,
  type TeamStage,
  type TownPrincipal,
  type TrainingExport,
  type TrainingLedger,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { batchGetAll, commitChange, getItem, type Item, queryAll } from '../ops';
import { trainingChanges } from './changes';
import { attendanceView, courseView, type StoredTotal, storedTotal, totalView } from './items';

export { type TrainingChanges, trainingChanges } from './changes';
export { attendanceView, courseView, type StoredTotal, storedTotal, type TrainingItems, trainingItems, totalView } from './items';

const RESULT_LABEL = { passed: '合格', failed: '不合格', none: '—' } as const;

/**
 * The training ledger of one town as one caller uses it (`@gridline/data/training`): a year's courses
 * and totals (one Query), a course with its attendance (one Query), a person's year (one GetItem),
 * creating and changing a course, recording its attendance, and the year as an XLSX file. Rules come
 * from `@gridline/domain` (training/rules); each change is one transaction built in `changes.ts`.
 */
export function trainingOf(principal: TownPrincipal) {
  const changes = trainingChanges(principal.townId, principal.username);
  const k = changes.items.keys;
  const notFound = () => new AppError('training.not_found', 404, 'No such course in this town.');

  async function courseRead(courseId: string, consistent: boolean): Promise<{ course: CourseView; attendance: AttendanceView[] }> {
    const all = await queryAll<Item>(k.coursePk(courseId), undefined, { consistent });
    const head = all.find((i) => i.sk === 'COURSE');
    if (!head) throw notFound();
    const attendance = all
      .filter((i) => String(i.sk).startsWith('A#'))
      .map(attendanceView)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.coordinatorId.localeCompare(b.coordinatorId));
    return { course: courseView(head), attendance };
  }

  /** The totals of the people named in `year`, read consistently (each is replaced at its version). */
  async function totalsOf(year: number, ids: readonly string[]): Promise<Record<string, StoredTotal | undefined>> {
    const read = await Promise.all(
      ids.map(async (id) => [id, await getItem<Item>(k.trainingTotal(year, id), { consistent: true })] as const),
    );
    return Object.fromEntries(read.map(([id, item]) => [id, item ? storedTotal(item) : undefined]));
  }

  /** The year's ledger from its partition's items (one Query). */
  function ledgerOf(year: number, all: readonly Item[]): TrainingLedger {
    const courses = all
      .filter((i) => String(i.sk).startsWith('C#'))
      .map(courseView)
      .sort((a, b) => a.on.localeCompare(b.on) || a.courseId.localeCompare(b.courseId));
    const totals = all.filter((i) => String(i.sk).startsWith('P#')).map((i) => totalView(storedTotal(i)));
    const people = totals
      .filter((t) => t.courses.length > 0)
      .map((t) => ({ coordinatorId: t.coordinatorId, name: t.name, hours: t.hours, courses: t.courses.length }))
      .sort((a, b) => b.hours - a.hours || a.name.localeCompare(b.name, 'zh-CN') || a.coordinatorId.localeCompare(b.coordinatorId));
    return { year, courses, people, totalHours: people.reduce((s, p) => s + p.hours, 0) };
  }

  return {
    /** A year's courses by date and each person's credited hours, most first. */
    ledger: async (year: number) => ledgerOf(year, await queryAll<Item>(k.trainingYearPk(year))),

    /** A course and its attendance. */
    course: (courseId: string): Promise<CourseDetail> => courseRead(courseId, false),

    async createCourse(body: NewCourse, now: string): Promise<CourseView> {
      const plan = planNewCourse(newId(Date.parse(now)), body, now);
      await commitChange(changes.newCourse(plan.course, plan, now));
      return { ...plan.course, version: 1 };
    },

    /** Records the whole attendance of a course (it replaces the list recorded); returns the course after. */
    async recordAttendance(courseId: string, body: AttendanceBody, now: string): Promise<CourseDetail> {
      const { course, attendance } = await courseRead(courseId, true);
      const { version, ...c } = course;
      const ids = [...new Set(body.attendance.map((a) => a.coordinatorId))];
      const found = await batchGetAll<{ coordinatorId: string; name: string; stage: TeamStage }>(ids.map((id) => k.teamMember(id)));
      const members: Record<string, MemberInfo> = Object.fromEntries(found.map((m) => [m.coordinatorId, { name: m.name, stage: m.stage }]));
      // Only the people whose attendance or result changes have their total read (and rewritten).
      const before = new Map(attendance.map((a) => [a.coordinatorId, a]));
      const listed = new Set(ids);
      const touched = [
        ...body.attendance.filter((e) => {
          const b = before.get(e.coordinatorId);
          return !b || b.attended !== e.attended || b.result !== e.result;
        }),
      ].map((e) => e.coordinatorId);
      const gone = attendance.filter((a) => !listed.has(a.coordinatorId)).map((a) => a.coordinatorId);
      const totals = await totalsOf(
        c.year,
        [...new Set([...touched, ...gone])].filter((id) => members[id] || gone.includes(id)),
      );
      const plan = planAttendance(
        { now, course: c, version, expected: body.version, current: attendance, members, totals },
        body.attendance,
      );
      await commitChange(changes.attendanceChange(plan, version, now));
      const byId = new Map(attendance.map((a) => [a.coordinatorId, a]));
      for (const p of plan.put) byId.set(p.coordinatorId, p);
      for (const r of plan.remove) byId.delete(r);
      return {
        course: { ...plan.course, version: version + 1 },
        attendance: [...byId.values()].sort(
          (a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.coordinatorId.localeCompare(b.coordinatorId),
        ),
      };
    },

    /** Changes a course's title, date (within its year), hours or trainer; returns the course after. */
    async changeCourse(courseId: string, body: CourseChange, now: string): Promise<CourseView> {
      const { course, attendance } = await courseRead(courseId, true);
      const { version, ...c } = course;
      const shown = (body.title ?? c.title) !== c.title || (body.on ?? c.on) !== c.on || (body.hours ?? c.hours) !== c.hours;
      const totals = shown
        ? await totalsOf(
            c.year,
            attendance.map((a) => a.coordinatorId),
          )
        : {};
      const plan = planCourseChange({ now, course: c as Course, version, attendance, totals }, body);
      await commitChange(changes.courseChange(plan, version, now));
      return { ...plan.course, version: version + 1 };
    },

    /** A person's courses of a year and the hours credited (zero when listed on none). */
    async personYear(coordinatorId: string, year: number): Promise<PersonYear> {
      const item = await getItem<Item>(k.trainingTotal(year, coordinatorId));
      if (item) return totalView(storedTotal(item));
      const member = await getItem<{ name: string }>(k.teamMember(coordinatorId));
      if (!member) throw new AppError('team.not_found', 404, 'No such person on the team.');
      return { coordinatorId, name: member.name, year, hours: 0, courses: [] };
    },

    /**
     * The year as an XLSX workbook (the writer of the population book's export, @gridline/book): each
     * course with a line per person listed, then each person's total. Built from the year's one Query
     * (the totals carry each person's courses); audited like the book's export.
     */
    async exportYear(year: number, now: string): Promise<TrainingExport> {
      const all = await queryAll<Item>(k.trainingYearPk(year));
      const l = ledgerOf(year, all);
      const totals = all.filter((i) => String(i.sk).startsWith('P#')).map((i) => totalView(storedTotal(i)));
      const townName = (await getItem<{ name: string }>(k.meta()))?.name ?? '';
      const title = `${townName}${year}年度协管员培训台账`;
      const header = ['序号', '培训日期', '课程名称', '授课人', '学时', '姓名', '出勤', '考核结果', '计入学时'];
      const cell = (value: string | number, style: 3 | 4 = 3) => ({ value, style });
      const rows: Array<Array<{ value: string | number; style?: 0 | 1 | 2 | 3 | 4 }>> = [
        [{ value: title, style: 1 }],
        header.map((h) => ({ value: h, style: 2 as const })),
      ];
      let seq = 0;
      for (const c of l.courses) {
        const listed = totals
          .flatMap((t) => t.courses.filter((x) => x.courseId === c.courseId).map((x) => ({ name: t.name, id: t.coordinatorId, ...x })))
          .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
        for (const p of listed.length ? listed : [undefined]) {
          seq++;
          rows.push([
            cell(seq, 4),
            cell(c.on),
            cell(c.title),
            cell(c.trainer),
            cell(c.hours, 4),
            cell(p?.name ?? ''),
            cell(p ? (p.attended ? '出勤' : '缺勤') : ''),
            cell(p ? RESULT_LABEL[p.result] : ''),
            cell(p && isCredited(p) ? c.hours : 0, 4),
          ]);
        }
      }
      rows.push([]);
      rows.push([
        { value: '个人年度学时合计', style: 2 },
        { value: '姓名', style: 2 },
        { value: '课程数', style: 2 },
        { value: '学时', style: 2 },
      ]);
      for (const [i, p] of l.people.entries()) rows.push([cell(i + 1, 4), cell(p.name), cell(p.courses, 4), cell(p.hours, 4)]);
      const bytes = writeXlsx({
        name: `${year}培训台账`,
        rows,
        merges: [`A1:${String.fromCharCode(64 + header.length)}1`],
        widths: [6, 12, 24, 14, 8, 10, 8, 10, 10],
        frozenRows: 2,
      });
      await commitChange({
        writes: [],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'training.export',
            target: String(year),
            at: now,
            details: { courses: l.courses.length, people: l.people.length },
          }),
        ],
      });
      return { fileName: `training-${year}.xlsx`, contentBase64: Buffer.from(bytes).toString('base64'), courses: l.courses.length };
    },
  };
}
export type Training = ReturnType<typeof trainingOf>;
