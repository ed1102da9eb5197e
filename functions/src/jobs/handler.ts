import * as z from '@gridline/domain/zod';
import { logger } from '../pipeline/log';

const jobEvent = z.object({
  job: z.enum([
    'tenant-summary',
    'reconcile',
    'import',
    'sweep',
    'supervision',
    'visit-reminders',
    'visit-cycles',
    'mediation-follow-ups',
    'rollup-daily',
    'rollup-monthly',
    'rollup-quarterly',
  ]),
  at: z.optional(z.iso.datetime()),
  town: z.optional(z.string()),
  fix: z.optional(z.boolean()),
  /** Who asked for an on-demand reconciliation with `fix`, for the town's audit. */
  actor: z.optional(z.string().check(z.maxLength(128))),
  importId: z.optional(z.string()),
  /** The run of an on-demand job other than an import (the visit-cycles recompute). */
  runId: z.optional(z.string()),
  /** A rollup job's period when re-run by hand; scheduled runs roll up the period that just ended. */
  period: z.optional(z.string().check(z.maxLength(10))),
});

// Each job's code is imported when that job runs: bundled, the import job's CSV/XLSX reader and the
// rollup's XLSX writer are chunks the other jobs never load.
const runners = {
  'tenant-summary': async (at: string) => (await import('./tenant-summary')).runTenantSummary(at),
  reconcile: async (at: string, e: z.infer<typeof jobEvent>) =>
    (await import('./reconcile')).runReconcile(at, e.town, e.fix ?? false, e.actor),
  import: async (at: string, e: z.infer<typeof jobEvent>) => (await import('./import')).runImport(at, e.town, e.importId),
  sweep: async (at: string, e: z.infer<typeof jobEvent>) => (await import('./sweep')).runSweep(at, e.town),
  supervision: async (at: string, e: z.infer<typeof jobEvent>) => (await import('./supervision')).runSupervision(at, e.town),
  'visit-reminders': async (at: string, e: z.infer<typeof jobEvent>) => (await import('./visits')).runVisitReminders(at, e.town),
  'visit-cycles': async (at: string, e: z.infer<typeof jobEvent>) => (await import('./visits')).runVisitCyclesJob(at, e.town, e.runId),
  'mediation-follow-ups': async (at: string, e: z.infer<typeof jobEvent>) =>
    (await import('./mediation')).runMediationFollowUps(at, e.town),
  'rollup-daily': async (at: string, e: z.infer<typeof jobEvent>) => (await import('./rollup')).runRollupJob(at, 'day', e.period),
  'rollup-monthly': async (at: string, e: z.infer<typeof jobEvent>) => (await import('./rollup')).runRollupJob(at, 'month', e.period),
  'rollup-quarterly': async (at: string, e: z.infer<typeof jobEvent>) => (await import('./rollup')).runRollupJob(at, 'quarter', e.period),
} as const;

/** The jobs function: EventBridge Scheduler (or the local scheduler) sends `{ job }`. */
export async function handler(raw: unknown) {
  const event = z.parse(jobEvent, raw);
  const at = event.at ?? new Date().toISOString();
  const result = await runners[event.job](at, event);
  logger.info('job done', { job: event.job, at });
  return result;
}
