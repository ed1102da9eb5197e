import { COUNTY_ADMIN, countySummarySchema, healthSchema, ROLES, readySchema } from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { define } from '../spec';

/** The outline of an OpenAPI 3.1 document: the generator (openapi.ts) owns the rest. */
const openApiShape = z.object({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** The service itself, open to anyone: liveness, readiness and this API's description. */
export const platform = {
  health: define({
    id: 'health',
    response: healthSchema,
    method: 'GET',
    path: '/health',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'Liveness of the API',
  }),
  ready: define({
    id: 'health.ready',
    response: readySchema,
    method: 'GET',
    path: '/health/ready',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'Readiness: the API answers and the table answers a read (503 when it does not)',
  }),
  openapi: define({
    id: 'openapi',
    response: openApiShape,
    method: 'GET',
    path: '/openapi.json',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'This description of the API (OpenAPI 3.1), generated from the route table',
  }),
} as const;

/** The county console's overview: how many towns, active and suspended. */
export const countyConsole = {
  countySummary: define({
    id: 'county.summary',
    response: countySummarySchema,
    method: 'GET',
    path: '/admin/summary',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    summary: 'Tenant counts for the county console',
  }),
} as const;
