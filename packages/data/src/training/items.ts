import type { AttendanceView, Course, CourseView, PersonYear } from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/** A person's total of one year as stored: the view and its version. */
export type StoredTotal = PersonYear & { version: number };

/**
 * The items of one town's training ledger (keys from `keys.ts`, the block marked "Training"): the course
 * in its own partition with a line per person listed, a copy of the course as a row of its year, and one
 * total per person per year beside those rows.
 */
export function trainingItems(townId: string) {
  const k = townKeys(townId);
  return {
    keys: k,
    course: (c: CourseView): Item & Key => ({ ...k.course(c.courseId), type: 'TrainingCourse', ...c }),
    /** The course's row in its year's ledger: the course itself, without its attendance. */
    row: (c: CourseView): Item & Key => ({ ...k.trainingRow(c.year, c.courseId), type: 'TrainingRow', ...c }),
    attendance: (c: Course, a: AttendanceView): Item & Key => ({
      ...k.attendance(c.courseId, a.coordinatorId),
      type: 'TrainingAttendance',
      courseId: c.courseId,
      year: c.year,
      ...a,
    }),
    total: (t: StoredTotal): Item & Key => ({ ...k.trainingTotal(t.year, t.coordinatorId), type: 'TrainingTotal', ...t }),
  };
}
export type TrainingItems = ReturnType<typeof trainingItems>;

export const courseView = (item: Item): CourseView => {
  const { courseId, title, on, hours, trainer, year, attendees, credited, version, createdAt, updatedAt } = publicFields<CourseView>(item);
  return { courseId, title, on, hours, trainer, year, attendees, credited, version, createdAt, updatedAt };
};
export const attendanceView = (item: Item): AttendanceView => {
  const { coordinatorId, name, attended, result, note } = publicFields<AttendanceView>(item);
  return { coordinatorId, name, attended, result, ...(note ? { note } : {}) };
};
export const storedTotal = (item: Item): StoredTotal => {
  const { coordinatorId, name, year, hours, courses, version } = publicFields<StoredTotal>(item);
  return { coordinatorId, name, year, hours, courses: courses ?? [], version };
};
export const totalView = ({ version: _v, ...t }: StoredTotal): PersonYear => t;
