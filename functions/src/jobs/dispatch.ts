import { logger } from '../pipeline/log';

export type BackgroundJob =
  | { job: 'import'; town: string; importId: string }
  /** A town's visit cycles changed: every household's due is recomputed (packages/data/src/visits/backfill.ts). */
  | { job: 'visit-cycles'; town: string; runId: string };

/**
 * Starts a job without waiting for it: deployed, an asynchronous invocation of the jobs function
 * (GRIDLINE_JOBS_FUNCTION, the on-demand jobs' function, which carries out imports and visit-cycle
 * recomputes alike: both are town-scoped, paced and leased); locally, the same handler later in this process.
 */
export async function startInBackground(job: BackgroundJob): Promise<void> {
  const fn = process.env.GRIDLINE_JOBS_FUNCTION;
  if (fn) {
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    await new LambdaClient({}).send(
      new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(job)) }),
    );
    return;
  }
  setImmediate(() => {
    import('./handler')
      .then(({ handler }) => handler(job))
      .catch((e: unknown) => logger.error('background job failed', { job: job.job, error: e as Error }));
  });
}
