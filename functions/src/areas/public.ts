import { probeTable } from '@gridline/data';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

export const publicRoutes = [
  // Liveness only: the process answers. Whether the database does is readiness, below.
  implement(routes.health, async () => ({ body: { ok: true } })),
  implement(routes.ready, async () => {
    await probeTable();
    return { body: { ok: true, database: 'ok' } };
  }),
];

export const handler = areaHandler(publicRoutes);
