export { handler as runJob } from './handler';
export { JOB_TIMEZONE, type JobSpec, jobs, onDemandJobs, townScopedJobs } from './schedule';
