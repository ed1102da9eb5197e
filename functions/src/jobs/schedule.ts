/**
 * The job table: what runs when. EventBridge Scheduler (deployed) and the local scheduler both read it.
 * Cron in EventBridge's six-field form (minutes hours day-of-month month day-of-week year).
 */
export type JobSpec = { name: string; cron: string; timezone: 'Asia/Shanghai'; summary: string };

export const JOB_TIMEZONE = 'Asia/Shanghai' as const;

export const jobs: readonly JobSpec[] = [
  {
    name: 'tenant-summary',
    cron: '0 1 * * ? *',
    timezone: JOB_TIMEZONE,
    summary: 'Counts towns by status into the county report (daily, 01:00)',
  },
  {
    name: 'reconcile',
    cron: '30 2 * * ? *',
    timezone: JOB_TIMEZONE,
    summary: "Recounts every town's population book and reports counter drift (daily, 02:30)",
  },
];
