import * as z from 'zod';
import { logger } from '../pipeline/log';
import { runTenantSummary } from './tenant-summary';

const jobEvent = z.object({ job: z.enum(['tenant-summary']), at: z.iso.datetime().optional() });

const runners = { 'tenant-summary': runTenantSummary } as const;

/** The jobs function: EventBridge Scheduler (or the local scheduler) sends `{ job }`. */
export async function handler(raw: unknown) {
  const event = jobEvent.parse(raw);
  const at = event.at ?? new Date().toISOString();
  const result = await runners[event.job](at);
  logger.info('job done', { job: event.job, at });
  return result;
}
