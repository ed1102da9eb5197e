import { probeTable } from '@gridline/data';
import type { RouteRequest } from '../pipeline/route';
import type { platform } from './routes';

type R<K extends keyof typeof platform> = RouteRequest<(typeof platform)[K]>;

/** Built on first request, then kept: the route table does not change while the function lives. */
let openApi: Record<string, unknown> | undefined;

/** Liveness only: the process answers. Whether the database does is readiness, below. */
export const health = async (_: R<'health'>) => ({ body: { ok: true } });

export const ready = async (_: R<'ready'>) => {
  await probeTable();
  return { body: { ok: true, database: 'ok' } };
};

/*
 * The document is built from the whole route table, so every capability's schemas: imported on the first
 * request for it, a chunk of its own when bundled, so a cold start of /health or /ready does not load them.
 */
export const openapi = async (_: R<'openapi'>) => {
  openApi ??= (await import('../openapi')).openApiDocument();
  return { body: openApi };
};
