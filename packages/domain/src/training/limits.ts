/* The training ledger's bounds and results, which the API's schemas need apart from the rules. */

export const TRAINING_RESULTS = ['passed', 'failed', 'none'] as const;
export type TrainingResult = (typeof TRAINING_RESULTS)[number];
/** The most people one course lists: its attendance, their totals and the course fit one transaction. */
export const MAX_ATTENDEES = 45;
/** The most hours one course may count. */
export const MAX_COURSE_HOURS = 200;
