import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

export const publicRoutes = [implement(routes.health, async () => ({ body: { ok: true } }))];

export const handler = areaHandler(publicRoutes);
