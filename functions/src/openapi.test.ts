import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiText } from './openapi';
import { routes, routeTable } from './routes';

type Operation = {
  operationId: string;
  security: unknown[];
  parameters?: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: unknown;
  responses: Record<string, { content?: { 'application/json': { schema: Record<string, unknown> } } }>;
};
const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };
const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('equals the checked-in docs/openapi.json (run `pnpm openapi` after changing a route)', () => {
    const checkedIn = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(checkedIn === openApiText(), 'docs/openapi.json is stale: run `pnpm openapi`').toBe(true);
  });

  it('has one operation per route, with its success response schema and the shared error body', () => {
    expect(operations.map((o) => o.operationId).sort()).toEqual(Object.keys(routes).sort());
    for (const r of routeTable) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, r.id).toBeDefined();
      for (const status of r.success ?? [200])
        expect(op?.responses[String(status)]?.content?.['application/json'].schema, r.id).not.toEqual({});
      expect(op?.responses['4XX']).toEqual({ $ref: '#/components/responses/Error' });
      expect(op?.requestBody !== undefined, r.id).toBe(r.body !== undefined);
    }
  });

  it('asks for a bearer token on county and town routes only', () => {
    for (const r of routeTable) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op?.security, r.id).toEqual(r.audience === 'public' ? [] : [{ bearer: [] }]);
      expect(op?.responses['401'] !== undefined, r.id).toBe(r.audience !== 'public');
    }
  });

  it('lists every path parameter as required and query parameters with defaults as optional', () => {
    const person = doc.paths['/town/grids/{gridId}/households/{householdId}/people/{personId}']?.get;
    expect(person?.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([
      ['gridId', 'path', true],
      ['householdId', 'path', true],
      ['personId', 'path', true],
    ]);
    const towns = doc.paths['/admin/towns']?.get;
    expect(towns?.parameters?.find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false });
  });
});
