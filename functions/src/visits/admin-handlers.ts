import { correctionsOf } from '@gridline/data/visits/corrections';
import { coverageOf } from '@gridline/data/visits/coverage';
import { visitCyclesAdminOf } from '@gridline/data/visits/cycles';
import { reminderOf } from '@gridline/data/visits/reminders';
import { startInBackground } from '../jobs/dispatch';
import type { RouteRequest } from '../pipeline/route';
import type { visitAdminRoutes } from './admin-routes';

// The visits' administration routes: loaded on the first such request.
type R<K extends keyof typeof visitAdminRoutes> = RouteRequest<(typeof visitAdminRoutes)[K]>;

export const getVisitCycles = async ({ principal }: R<'getVisitCycles'>) => ({ body: await visitCyclesAdminOf(principal).get() });
export const saveVisitCycles = async ({ principal, body, now }: R<'saveVisitCycles'>) => {
  const saved = await visitCyclesAdminOf(principal).save(body, now);
  // The recompute runs apart from the request; the sweeper starts it again should this start be lost.
  await startInBackground({ job: 'visit-cycles', town: principal.townId, runId: saved.runId });
  return { body: saved.view };
};
export const visitCyclesHistory = async ({ principal }: R<'visitCyclesHistory'>) => ({
  body: await visitCyclesAdminOf(principal).history(),
});
export const visitCoverage = async ({ principal, query, now }: R<'visitCoverage'>) => ({
  body: await coverageOf(principal).coverage(query, now),
});
export const visitReminder = async ({ principal }: R<'visitReminder'>) => ({ body: await reminderOf(principal) });
export const proposeCorrection = async ({ principal, body, now }: R<'proposeCorrection'>) => ({
  status: 201,
  body: await correctionsOf(principal).propose(body, now),
});
export const listCorrections = async ({ principal, query }: R<'listCorrections'>) => ({ body: await correctionsOf(principal).list(query) });
export const decideCorrection = async ({ principal, params, body, now }: R<'decideCorrection'>) => ({
  body: await correctionsOf(principal).decide(params.correctionId, body, now),
});
