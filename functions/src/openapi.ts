import { errorBodySchema } from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { routes as routeTableByName } from './routes';
import type { Audience, RouteSpec } from './spec';

/**
 * The OpenAPI 3.1 document of the API, generated from the route table and its zod schemas: the one
 * description county IT and integrators read. Served at `GET /api/openapi.json`, checked in at
 * `docs/openapi.json` (`pnpm openapi` writes it, a unit test fails when it is stale) and rendered as
 * the web app's API reference. Deterministic: the same table always gives the same bytes.
 */

type Json = Record<string, unknown>;

const AUDIENCES: Record<Audience, string> = {
  public: 'No sign-in.',
  county: 'County IT (role county_admin): the registry of towns and county-level counts, never a person.',
  town: "A town's staff: their own town only, the town taken from the verified token, never from the request.",
};

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without the `$schema` line. */
function jsonSchema(schema: z.core.$ZodType): Json {
  // `input` for responses too: it leaves plain objects open (extra fields may be added without a
  // breaking change), where `output` would close them because zod strips what it does not know.
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** Path or query parameters from an object schema: one entry per property. */
function parameters(schema: z.core.$ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s as Json;
    return {
      name,
      in: where,
      required: where === 'path' || (js.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const errorRef = { $ref: '#/components/responses/Error' };

function operation(name: string, r: RouteSpec): Json {
  const ok = Object.fromEntries(
    (r.success ?? [200]).map((status) => [
      String(status),
      {
        description: status === 201 ? 'Created' : status === 202 ? 'Accepted: the work goes on in the background' : 'OK',
        content: { 'application/json': { schema: r.response ? jsonSchema(r.response) : {} } },
      },
    ]),
  );
  const signedIn = r.audience !== 'public';
  return {
    // The route's name in the table (camelCase, usable as a client method name); its dotted id would
    // read like an audit action.
    operationId: name,
    summary: r.summary,
    tags: [r.audience],
    security: signedIn ? [{ bearer: [] }] : [],
    'x-gridline-roles': [...r.roles],
    ...(r.personal ? { 'x-gridline-personal': true } : {}),
    ...(() => {
      const ps = [...parameters(r.params, 'path'), ...parameters(r.query, 'query')];
      return ps.length ? { parameters: ps } : {};
    })(),
    ...(r.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(r.body) } },
          },
        }
      : {}),
    responses: {
      ...ok,
      ...(signedIn ? { '401': { $ref: '#/components/responses/Unauthorized' } } : {}),
      '4XX': errorRef,
      '5XX': errorRef,
    },
  };
}

/** Builds the OpenAPI 3.1 document of the given routes, by name (the route table unless a test passes others). */
export function openApiDocument(routes: Readonly<Record<string, RouteSpec>> = routeTableByName): Json {
  const paths: Record<string, Json> = {};
  for (const [name, r] of Object.entries(routes)) {
    const item = paths[r.path] ?? {};
    item[r.method.toLowerCase()] = operation(name, r);
    paths[r.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gridline API',
      version: '1',
      summary: 'Community grid management (网格化管理) for the towns of a county',
      description:
        'Every path is under `/api` on the site. Town routes act for the town named in the sign-in token and refuse any other; ' +
        'ID numbers and phones leave the API masked. Errors below 500 carry a stable dotted code; a caller never gets a 500 for anything it can send.',
    },
    servers: [{ url: '/api' }],
    tags: (Object.keys(AUDIENCES) as Audience[]).map((name) => ({ name, description: AUDIENCES[name] })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "The ID token of the county's user pool; its role, town and scope claims decide what the caller may do.",
        },
      },
      schemas: { Error: jsonSchema(errorBodySchema) },
      responses: {
        Error: {
          description: 'A refusal or a failure, always in this shape',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        Unauthorized: {
          description: 'No token, or one the authorizer does not accept (answered by the gateway, not the API)',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
            },
          },
        },
      },
    },
  };
}

/** The document as the checked-in file holds it: two-space JSON with a final newline. */
export const openApiText = (routes?: Readonly<Record<string, RouteSpec>>) => `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;
