import {
  attendanceBodySchema,
  courseChangeSchema,
  courseDetailSchema,
  courseSchema,
  entityIdSchema,
  newCourseSchema,
  personYearSchema,
  TEAM_READ,
  TOWN_ADMIN,
  trainingExportSchema,
  trainingLedgerSchema,
  trainingYearSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

/** A town route over the training ledger: names of people, never cached. */
const training = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

const courseParams = z.strictObject({ courseId: entityIdSchema });
const yearParams = z.strictObject({ year: trainingYearSchema });

/**
 * The training ledger (培训台账, issue 12): courses, their attendance and results, each person's hours in
 * a year, the year as XLSX. Read as the team is read (TEAM_READ); town admins record. The literal
 * `courses` routes come before `{year}` ones, so `/town/training/courses/…` is never taken for a year.
 */
export const trainingRoutes = {
  createCourse: training({
    id: 'training.course.create',
    success: [201],
    response: courseSchema,
    method: 'POST',
    path: '/town/training/courses',
    roles: TOWN_ADMIN,
    body: newCourseSchema,
    summary: 'Record a course: title, date, hours, trainer',
  }),
  getCourse: training({
    id: 'training.course.get',
    response: courseDetailSchema,
    method: 'GET',
    path: '/town/training/courses/{courseId}',
    roles: TEAM_READ,
    params: courseParams,
    summary: 'A course and its attendance with results',
  }),
  changeCourse: training({
    id: 'training.course.change',
    response: courseSchema,
    method: 'PATCH',
    path: '/town/training/courses/{courseId}',
    roles: TOWN_ADMIN,
    params: courseParams,
    body: courseChangeSchema,
    summary: "Change a course's title, date (within its year), hours or trainer; attendees' totals follow",
  }),
  recordAttendance: training({
    id: 'training.attendance',
    response: courseDetailSchema,
    method: 'PUT',
    path: '/town/training/courses/{courseId}/attendance',
    roles: TOWN_ADMIN,
    params: courseParams,
    body: attendanceBodySchema,
    summary: "Record a course's whole attendance and results, at the course's version",
  }),
  getTrainingYear: training({
    id: 'training.year',
    response: trainingLedgerSchema,
    method: 'GET',
    path: '/town/training/{year}',
    roles: TEAM_READ,
    params: yearParams,
    summary: "A year's courses and each person's total hours",
  }),
  exportTrainingYear: training({
    id: 'training.export',
    response: trainingExportSchema,
    method: 'GET',
    path: '/town/training/{year}/export',
    roles: TEAM_READ,
    params: yearParams,
    summary: "A year's ledger as an XLSX file (courses, attendance, each person's total)",
  }),
  getPersonTraining: training({
    id: 'training.person',
    response: personYearSchema,
    method: 'GET',
    path: '/town/team/{coordinatorId}/training/{year}',
    roles: TEAM_READ,
    params: z.strictObject({ coordinatorId: entityIdSchema, year: trainingYearSchema }),
    summary: "A person's courses of a year and the hours credited",
  }),
} as const;
