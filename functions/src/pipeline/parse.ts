import { AppError, type Principal, principalFromClaims } from '@gridline/domain';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';
import { type Middleware, stateOf } from './state';

const MAX_BODY_BYTES = 256 * 1024;

/** The caller, from the claims the JWT authorizer verified; never from anything else in the request. */
export function principalOf(event: APIGatewayProxyEventV2WithJWTAuthorizer, route: RouteSpec): Principal | undefined {
  if (route.audience === 'public') return undefined;
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) throw new AppError('auth.required', 401, 'Sign in first.');
  const principal = principalFromClaims(claims);
  if (principal.kind !== route.audience)
    throw new AppError(
      'auth.wrong_audience',
      403,
      route.audience === 'county' ? 'Only county staff may do this.' : 'Only town staff may do this.',
    );
  if (!route.roles.includes(principal.role)) throw new AppError('auth.role', 403, 'Your role does not allow this.');
  return principal;
}

function fieldOf(where: string, issue: z.core.$ZodIssue): string {
  return [where, ...issue.path.map(String)].join('.');
}

function check<T>(schema: z.core.$ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  throw new AppError('request.invalid', 400, issue.message, { field: fieldOf(where, issue) });
}

function bodyOf(event: APIGatewayProxyEventV2WithJWTAuthorizer, route: RouteSpec): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  // A declared media type must be JSON (application/json or a +json type); an undeclared one is parsed.
  const type = event.headers?.['content-type'];
  if (type && !/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type))
    throw new AppError('request.unsupported_media_type', 415, 'The request body must be JSON (application/json).', { field: 'body' });
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > (route.maxBody ?? MAX_BODY_BYTES))
    throw new AppError('request.too_large', 413, 'The request body is too large.');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('request.malformed_json', 400, 'The request body is not valid JSON.', { field: 'body' });
  }
}

/** Path parameters, query and body, each checked against the route's zod schema. */
export function parseInput(event: APIGatewayProxyEventV2WithJWTAuthorizer, route: RouteSpec) {
  const params = check(route.params, event.pathParameters ?? {}, 'params');
  const query = check(route.query, event.queryStringParameters ?? {}, 'query');
  const raw = route.body ? bodyOf(event, route) : undefined;
  if (route.body && raw === undefined)
    throw new AppError('request.body_required', 400, 'This request needs a JSON body.', { field: 'body' });
  const body = check(route.body, raw, 'body');
  return { params, query, body };
}

/** Path parameters, query and body checked by the route's zod schemas: 400 with the field at fault. */
export const inputMiddleware = (spec: RouteSpec): Middleware => ({
  before: (request) => {
    stateOf(request.event, spec).input = parseInput(request.event, spec);
  },
});
