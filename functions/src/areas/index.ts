import type { BoundRoute } from '../pipeline/route';
import { countyRoutes } from './county';
import { publicRoutes } from './public';
import { townRoutes } from './town';

/** Every implemented route, for the local server (deployed, each area is its own function). */
export const boundRoutes: BoundRoute[] = [...publicRoutes, ...countyRoutes, ...townRoutes];
