export { handler as runJob } from './handler';
export { JOB_TIMEZONE, type JobSpec, jobs } from './schedule';
