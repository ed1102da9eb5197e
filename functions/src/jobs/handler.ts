import * as z from 'zod';
import { logger } from '../pipeline/log';
import { runImport } from './import';
import { runReconcile } from './reconcile';
import { runTenantSummary } from './tenant-summary';

const jobEvent = z.object({
  job: z.enum(['tenant-summary', 'reconcile', 'import']),
  at: z.iso.datetime().optional(),
  town: z.string().optional(),
  fix: z.boolean().optional(),
  importId: z.string().optional(),
});

const runners = {
  'tenant-summary': (at: string) => runTenantSummary(at),
  reconcile: (at: string, e: z.infer<typeof jobEvent>) => runReconcile(at, e.town, e.fix ?? false),
  import: (at: string, e: z.infer<typeof jobEvent>) => runImport(at, e.town, e.importId),
} as const;

/** The jobs function: EventBridge Scheduler (or the local scheduler) sends `{ job }`. */
export async function handler(raw: unknown) {
  const event = jobEvent.parse(raw);
  const at = event.at ?? new Date().toISOString();
  const result = await runners[event.job](at, event);
  logger.info('job done', { job: event.job, at });
  return result;
}
