import { count, day, isoTime, line, version } from '../common/shapes';
import * as z from '../common/zod';
import { inlineFileSchema } from '../common/api';
import { entityIdSchema } from '../ids';
import { MAX_ATTENDEES, MAX_COURSE_HOURS, TRAINING_RESULTS } from './limits';

/*
 * The training ledger (培训台账): courses a town holds for its coordinators, who attended each and
 * with what result, and each person's hours in a year. The rules are in ./rules.
 */

/** Hours of a course: half hours, more than nothing, at most MAX_COURSE_HOURS. */
export const courseHoursSchema = z.number().check(
  z.minimum(0.5),
  z.maximum(MAX_COURSE_HOURS),
  z.refine((h) => Number.isInteger(h * 2), { message: 'Hours are counted in half hours (1, 1.5, 2…).' }),
);
export const trainingResultSchema = z.enum(TRAINING_RESULTS);
/** A year of the ledger, as it appears in a path. */
export const trainingYearSchema = z.string().check(z.regex(/^(19|20|21)\d{2}$/, 'A year, four digits (2026).'));

/** A new course (town admins). */
export const newCourseSchema = z.strictObject({ title: line(80), on: day, hours: courseHoursSchema, trainer: line(40) });
/** A change of a course: the fields given, at the version read. The year of its date does not change. */
export const courseChangeSchema = z.strictObject({
  version,
  title: z.optional(line(80)),
  on: z.optional(day),
  hours: z.optional(courseHoursSchema),
  trainer: z.optional(line(40)),
});
/** One person's line of a course's attendance as a town admin marks it. */
export const attendanceEntrySchema = z.strictObject({
  coordinatorId: entityIdSchema,
  attended: z.boolean(),
  result: trainingResultSchema,
  note: z.optional(line(200)),
});
/** The whole attendance of a course (it replaces the one recorded), at the course's version read. */
export const attendanceBodySchema = z.strictObject({
  version,
  attendance: z.array(attendanceEntrySchema).check(z.maxLength(MAX_ATTENDEES)),
});

export type NewCourse = z.infer<typeof newCourseSchema>;
export type CourseChange = z.infer<typeof courseChangeSchema>;
export type AttendanceEntry = z.infer<typeof attendanceEntrySchema>;
export type AttendanceBody = z.infer<typeof attendanceBodySchema>;

export const courseSchema = z.object({
  courseId: entityIdSchema,
  title: z.string(),
  on: day,
  hours: z.number(),
  trainer: z.string(),
  year: z.int(),
  /** People on the course's list, and those credited with its hours (attended, not failed). */
  attendees: count,
  credited: count,
  version,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type CourseView = z.infer<typeof courseSchema>;

export const attendanceViewSchema = z.object({
  coordinatorId: entityIdSchema,
  name: z.string(),
  attended: z.boolean(),
  result: trainingResultSchema,
  note: z.optional(z.string()),
});
export type AttendanceView = z.infer<typeof attendanceViewSchema>;

export const courseDetailSchema = z.object({ course: courseSchema, attendance: z.array(attendanceViewSchema) });
export type CourseDetail = z.infer<typeof courseDetailSchema>;

/** One course of a person's year, as their total keeps it. */
export const personCourseSchema = z.object({
  courseId: entityIdSchema,
  title: z.string(),
  on: day,
  hours: z.number(),
  attended: z.boolean(),
  result: trainingResultSchema,
});
/** A person's training in one year: the hours credited and each course they were listed on. */
export const personYearSchema = z.object({
  coordinatorId: entityIdSchema,
  name: z.string(),
  year: z.int(),
  hours: z.number(),
  courses: z.array(personCourseSchema),
});
export type PersonYearView = z.infer<typeof personYearSchema>;

/** The ledger of a year: its courses (by date) and each person's total. */
export const trainingLedgerSchema = z.object({
  year: z.int(),
  courses: z.array(courseSchema),
  people: z.array(z.object({ coordinatorId: entityIdSchema, name: z.string(), hours: z.number(), courses: count })),
  totalHours: z.number(),
});
export type TrainingLedger = z.infer<typeof trainingLedgerSchema>;

export const trainingExportSchema = z.extend(inlineFileSchema, { courses: count });
export type TrainingExport = z.infer<typeof trainingExportSchema>;
