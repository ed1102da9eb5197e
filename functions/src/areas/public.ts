import { openApiDocument } from '../openapi';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

/** Built on first request, then kept: the route table does not change while the function lives. */
let openApi: Record<string, unknown> | undefined;

export const publicRoutes = [
  implement(routes.health, async () => ({ body: { ok: true } })),
  implement(routes.openapi, async () => {
    openApi ??= openApiDocument();
    return { body: openApi };
  }),
];

export const handler = areaHandler(publicRoutes);
