/**
 * What the deployed system is made of, without loading any handler: the area entry files (one Lambda
 * function each) and the job table. The CDK app and the bundler read this.
 */
export { JOB_TIMEZONE, type JobSpec, jobs, onDemandJobs, townScopedJobs } from './jobs/schedule';
export { type Audience, areas, type Method, type RouteSpec, routeKey, routeTable } from './routes';

/** Entry file of each area's function, relative to the functions package. */
export const areaEntries: Record<string, string> = {
  public: 'src/areas/public.ts',
  county: 'src/areas/county.ts',
  town: 'src/areas/town.ts',
  jobs: 'src/jobs/handler.ts',
};
