/** For test suites that build fixture routes with the real pipeline. */
export { implement } from './pipeline/route';
export type { RouteSpec } from './routes';
