import { countTowns } from '@gridline/data';
import type { RouteRequest } from '../pipeline/route';
import type { countyConsole } from './routes';

// The county console's handlers, apart from platform/handlers.ts so that the county function does not
// bundle the OpenAPI generator.

export const countySummary = async (_: RouteRequest<(typeof countyConsole)['countySummary']>) => {
  const { towns, active, suspended } = await countTowns();
  return { body: { towns, active, suspended } };
};
