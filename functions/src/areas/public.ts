import { probeTable } from '@gridline/data';
import { openApiDocument } from '../openapi';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

/** Built on first request, then kept: the route table does not change while the function lives. */
let openApi: Record<string, unknown> | undefined;

export const publicRoutes = [
  // Liveness only: the process answers. Whether the database does is readiness, below.
  implement(routes.health, async () => ({ body: { ok: true } })),
  implement(routes.ready, async () => {
    await probeTable();
    return { body: { ok: true, database: 'ok' } };
  }),
  implement(routes.openapi, async () => {
    openApi ??= openApiDocument();
    return { body: openApi };
  }),
];

export const handler = areaHandler(publicRoutes);
