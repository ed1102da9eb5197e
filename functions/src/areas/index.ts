import type { BoundRoute } from '../pipeline/route';
import { countyRoutes } from './county';
import { publicRoutes } from './public';
import { townRoutes } from './town';

/** Every implemented route, for the local server (deployed, each area is its own function). */
export const boundRoutes: BoundRoute[] = [...publicRoutes, ...countyRoutes, ...townRoutes];

/** Area entry files, relative to this package: the bundler and the CDK app build one function each. */
export const areaEntries: Record<string, string> = {
  public: 'src/areas/public.ts',
  county: 'src/areas/county.ts',
  town: 'src/areas/town.ts',
  jobs: 'src/jobs/handler.ts',
};
