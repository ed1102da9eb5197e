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
  {
    name: 'sweep',
    cron: '* * * * ? *',
    timezone: JOB_TIMEZONE,
    summary: 'Restarts job runs (imports) whose lease expired because their runner stopped; fails those out of attempts (every minute)',
  },
  {
    name: 'supervision',
    cron: '0/15 * * * ? *',
    timezone: JOB_TIMEZONE,
    summary:
      'Supervises matters (督办): recounts each running clock, marks yellow and red, notifies the handler and the level above (every 15 minutes)',
  },
  {
    name: 'visit-reminders',
    cron: '0 7 * * ? *',
    timezone: JOB_TIMEZONE,
    summary:
      "Household visits' morning: marks households newly overdue (counted once), builds each coordinator's due count and tells them in the app (daily, 07:00)",
  },
  {
    name: 'mediation-follow-ups',
    cron: '0 7 * * ? *',
    timezone: JOB_TIMEZONE,
    summary:
      "Mediation's follow-ups (回访): tells each agreed case's mediators in the app when its next follow-up is due today or overdue, once a day (daily, 07:00)",
  },
  {
    name: 'rollup-daily',
    cron: '0 1 * * ? *',
    timezone: JOB_TIMEZONE,
    summary: "County rollup of the previous day from each town's counters, with its files (daily, 01:00)",
  },
  {
    name: 'rollup-monthly',
    cron: '0 1 1 * ? *',
    timezone: JOB_TIMEZONE,
    summary: "County rollup of the previous month from each town's counters, with its files (1st of the month, 01:00)",
  },
  {
    name: 'rollup-quarterly',
    cron: '0 1 1 1,4,7,10 ? *',
    timezone: JOB_TIMEZONE,
    summary: "County rollup of the previous quarter from each town's counters, with its files (1st of the quarter, 01:00)",
  },
];

/**
 * Jobs started on demand (never on a schedule): the API queues them and the jobs function runs them
 * asynchronously. Like scheduled jobs that work inside one town, they reach town data only with the
 * town role's credentials (GRIDLINE_TOWN_ROLE_ARN), never with their own.
 */
export const onDemandJobs: ReadonlyArray<{ name: string; summary: string }> = [
  // Its function also carries out a town's visit-cycles recompute (`visit-cycles`, started by a save of
  // the cycles and restarted by the sweeper): the same bundle, role and pace, so no function of its own.
  { name: 'import', summary: 'Carries out a previewed population-book import, or a visit-cycles recompute, for one town' },
];

/** Jobs that work inside towns (and so assume the town role per town when deployed). */
export const townScopedJobs: readonly string[] = [
  'reconcile',
  'import',
  'sweep',
  'supervision',
  'visit-reminders',
  'mediation-follow-ups',
  'rollup-daily',
  'rollup-monthly',
  'rollup-quarterly',
];
