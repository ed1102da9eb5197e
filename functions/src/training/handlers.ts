import { trainingOf } from '@gridline/data/training';
import type { RouteRequest } from '../pipeline/route';
import type { trainingRoutes } from './routes';

// The training ledger's routes: loaded on the first such request (the export brings the XLSX writer).
type R<K extends keyof typeof trainingRoutes> = RouteRequest<(typeof trainingRoutes)[K]>;

export const createCourse = async ({ principal, body, now }: R<'createCourse'>) => ({
  status: 201,
  body: await trainingOf(principal).createCourse(body, now),
});
export const getCourse = async ({ principal, params }: R<'getCourse'>) => ({ body: await trainingOf(principal).course(params.courseId) });
export const changeCourse = async ({ principal, params, body, now }: R<'changeCourse'>) => ({
  body: await trainingOf(principal).changeCourse(params.courseId, body, now),
});
export const recordAttendance = async ({ principal, params, body, now }: R<'recordAttendance'>) => ({
  body: await trainingOf(principal).recordAttendance(params.courseId, body, now),
});
export const getTrainingYear = async ({ principal, params }: R<'getTrainingYear'>) => ({
  body: await trainingOf(principal).ledger(Number(params.year)),
});
export const exportTrainingYear = async ({ principal, params, now }: R<'exportTrainingYear'>) => ({
  body: await trainingOf(principal).exportYear(Number(params.year), now),
});
export const getPersonTraining = async ({ principal, params }: R<'getPersonTraining'>) => ({
  body: await trainingOf(principal).personYear(params.coordinatorId, Number(params.year)),
});
