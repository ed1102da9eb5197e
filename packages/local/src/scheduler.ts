import { type JobSpec, jobs, runJob } from '@gridline/functions/jobs';
import { cronMatcher } from './cron';

export type SchedulerEvent = { job: string; at: string; ok: boolean; detail?: unknown };

/**
 * The local scheduler: the same job table EventBridge Scheduler gets, checked once a minute in the
 * jobs' time zone. A failing job is logged and retried at its next slot, never stopping the others.
 */
export function startScheduler(
  opts: {
    table?: readonly JobSpec[];
    onRun?: (e: SchedulerEvent) => void;
    /** Runs the sweep this often as well (GRIDLINE_JOB_SWEEP_SECONDS): tests of crashed runs cannot wait a minute. */
    sweepEverySeconds?: number;
  } = {},
) {
  const table = (opts.table ?? jobs).map((j) => ({ spec: j, fires: cronMatcher(j.cron, j.timezone) }));
  let lastMinute = '';
  const tick = async () => {
    const now = new Date();
    const minute = now.toISOString().slice(0, 16);
    if (minute === lastMinute) return;
    lastMinute = minute;
    for (const j of table) {
      if (!j.fires(now)) continue;
      try {
        const detail = await runJob({ job: j.spec.name, at: now.toISOString() });
        opts.onRun?.({ job: j.spec.name, at: now.toISOString(), ok: true, detail });
      } catch (e) {
        opts.onRun?.({ job: j.spec.name, at: now.toISOString(), ok: false, detail: String(e) });
      }
    }
  };
  const timer = setInterval(() => void tick(), 15_000);
  timer.unref();
  const sweepSeconds = opts.sweepEverySeconds;
  const sweeper =
    sweepSeconds && sweepSeconds > 0
      ? setInterval(() => {
          const at = new Date().toISOString();
          runJob({ job: 'sweep', at }).then(
            (detail) => opts.onRun?.({ job: 'sweep', at, ok: true, detail }),
            (e: unknown) => opts.onRun?.({ job: 'sweep', at, ok: false, detail: String(e) }),
          );
        }, sweepSeconds * 1000)
      : undefined;
  sweeper?.unref();
  return {
    jobs: table.map((j) => j.spec),
    /** Runs one job now, as `gridline` on-demand runs do. */
    runNow: (name: string) => runJob({ job: name, at: new Date().toISOString() }),
    stop: () => {
      clearInterval(timer);
      if (sweeper) clearInterval(sweeper);
    },
  };
}
