import * as z from 'zod';
import { logger } from '../pipeline/log';
import { runImport } from './import';
import { runReconcile } from './reconcile';
import { runRollupJob } from './rollup';
import { runSweep } from './sweep';
import { runTenantSummary } from './tenant-summary';

const jobEvent = z.object({
  job: z.enum(['tenant-summary', 'reconcile', 'import', 'sweep', 'rollup-daily', 'rollup-monthly', 'rollup-quarterly']),
  at: z.iso.datetime().optional(),
  town: z.string().optional(),
  fix: z.boolean().optional(),
  importId: z.string().optional(),
  /** A rollup job's period when re-run by hand; scheduled runs roll up the period that just ended. */
  period: z.string().max(10).optional(),
});

const runners = {
  'tenant-summary': (at: string) => runTenantSummary(at),
  reconcile: (at: string, e: z.infer<typeof jobEvent>) => runReconcile(at, e.town, e.fix ?? false),
  import: (at: string, e: z.infer<typeof jobEvent>) => runImport(at, e.town, e.importId),
  sweep: (at: string, e: z.infer<typeof jobEvent>) => runSweep(at, e.town),
  'rollup-daily': (at: string, e: z.infer<typeof jobEvent>) => runRollupJob(at, 'day', e.period),
  'rollup-monthly': (at: string, e: z.infer<typeof jobEvent>) => runRollupJob(at, 'month', e.period),
  'rollup-quarterly': (at: string, e: z.infer<typeof jobEvent>) => runRollupJob(at, 'quarter', e.period),
} as const;

/** The jobs function: EventBridge Scheduler (or the local scheduler) sends `{ job }`. */
export async function handler(raw: unknown) {
  const event = jobEvent.parse(raw);
  const at = event.at ?? new Date().toISOString();
  const result = await runners[event.job](at, event);
  logger.info('job done', { job: event.job, at });
  return result;
}
