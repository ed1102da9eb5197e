import { api } from '../api';
import type {
  AttendanceEntry,
  CourseChange,
  CourseDetail,
  CourseView,
  NewCourse,
  PersonYearView,
  TrainingExport,
  TrainingLedger,
} from '@gridline/domain';

/**
 * The training ledger's calls to the API (functions/src/training/routes.ts): a year's courses and
 * totals, a course with its attendance, recording a course, changing it, its attendance, a person's
 * year and the year as an XLSX file (sent inline, saved with $lib/files).
 */

const c = (courseId: string) => `/town/training/courses/${encodeURIComponent(courseId)}`;

export const training = {
  year: (year: number) => api.get<TrainingLedger>(`/town/training/${year}`),
  course: (courseId: string) => api.get<CourseDetail>(c(courseId)),
  create: (body: NewCourse) => api.post<CourseView>('/town/training/courses', body),
  change: (courseId: string, body: CourseChange) => api.patch<CourseView>(c(courseId), body),
  /** PUT answers with its status too; the course and attendance after the change are its body. */
  attendance: (courseId: string, version: number, attendance: AttendanceEntry[]) =>
    api.put<CourseDetail>(`${c(courseId)}/attendance`, { version, attendance }).then((r) => r.body),
  exportYear: (year: number) => api.get<TrainingExport>(`/town/training/${year}/export`),
  person: (coordinatorId: string, year: number) =>
    api.get<PersonYearView>(`/town/team/${encodeURIComponent(coordinatorId)}/training/${year}`),
};
