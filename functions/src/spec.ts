import { type Role, TOWN_STAFF_ROLES } from '@gridline/domain';
import * as z from '@gridline/domain/zod';

/** Which kind of caller a route serves: county routes refuse town users and the other way round. */
export type Audience = 'public' | 'county' | 'town';
export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One route: everything the local server, the CDK app and the test suites need to know about it.
 * Its capability's `routes.ts` declares it, its `handlers.ts` implements it (one function named like
 * the route's key), and the area (`areas/<area>.ts`, the deployed function) binds the two.
 *
 * Schemas are typed by zod's core so that classic and mini schemas both fit.
 */
export type RouteSpec = {
  id: string;
  method: Method;
  path: string;
  area: string;
  audience: Audience;
  roles: readonly Role[];
  params?: z.core.$ZodType<Record<string, string>>;
  query?: z.core.$ZodType;
  body?: z.core.$ZodType;
  /**
   * What a successful call answers with (the error body is the same for every route). Optional only so
   * that test fixtures may leave it out: every route of the table must name one (checked in routes.ts).
   */
  response?: z.core.$ZodType;
  /** The statuses a success answers with (default 200 only). */
  success?: readonly (200 | 201 | 202)[];
  /** Whether responses may hold personal data (kept out of caches and logs). */
  personal?: boolean;
  /** Largest JSON body accepted, in bytes (default 256 KB; uploads up to Lambda's 6 MB payload). */
  maxBody?: number;
  summary: string;
};

/** A capability's routes by name: the names are the keys of the composed table and of the handlers. */
export type RouteGroup = Readonly<Record<string, RouteSpec>>;

/** Declares one route, keeping its literal types (its request type is derived from them). */
export const define = <const T extends RouteSpec>(r: T) => r;

/** Any signed-in town user. */
export const TOWN_ANY: readonly Role[] = TOWN_STAFF_ROLES;

/** A page of a list: `limit` (1–100, default 25) and the opaque `cursor` of the previous page. */
export const pageQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

/** API Gateway's route key for a route, e.g. `PUT /admin/towns/{townId}`. */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;
