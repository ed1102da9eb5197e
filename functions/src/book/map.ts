import { forTown } from '@gridline/data';
import type { RouteRequest } from '../pipeline/route';
import type { bookMap } from './routes';

// The map's counts come with the town's own items (no person, no vault): bound when the area loads.
export const populationMap = async ({ principal }: RouteRequest<(typeof bookMap)['populationMap']>) => ({
  body: await forTown(principal.townId).populationMap(),
});
