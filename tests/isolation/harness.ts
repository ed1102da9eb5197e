import { type CommandObservation, observeCommands, READINESS_KEY } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { openApiDocument, type RouteSpec } from '@gridline/functions';
import { loadSigningKey, signIdToken } from '@gridline/identity';
import fc from 'fast-check';
import { base64url } from 'jose';
import { arbitraryFor } from '../support/arbitrary';
import type { CallOptions, CallResult, TestStack } from '../support/stack';

export type Finding = { route: string; caller: string; check: string; detail: string };
export type SuiteResult = { findings: Finding[]; requests: Map<string, number> };

const ISO = /^\d{4}-\d{2}-\d{2}T/;

/** Every whole string value of a JSON value. */
function stringsOf(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}

/**
 * The words the API publishes in its OpenAPI document (enum and literal values such as `Polygon` or
 * `floating`): a town's item may hold one, but seeing it tells nothing about that town, and the
 * document itself (a public route) holds them all. Whole values only, never substrings.
 */
const CONTRACT_WORDS = stringsOf(openApiDocument());

/** Strings found in one town's items and in no item of the other town: seeing one means a leak. */
export async function townMarkers(townA: string, townB: string) {
  const items = await scanAll();
  const strings = (list: Array<Record<string, unknown>>) => {
    const out = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string') out.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    list.forEach(walk);
    return out;
  };
  const inB = items.filter((i) => String(i.pk).startsWith(`T#${townB}#`));
  const inA = strings(items.filter((i) => String(i.pk).startsWith(`T#${townA}#`)));
  const markers = [...strings(inB)].filter(
    (s) => s.length >= 3 && !inA.has(s) && !ISO.test(s) && !s.startsWith('T#') && !CONTRACT_WORDS.has(s),
  );
  const ids = new Set<string>();
  for (const i of inB)
    for (const [k, v] of Object.entries(i)) if (typeof v === 'string' && (k.endsWith('Id') || k === 'username') && !inA.has(v)) ids.add(v);
  return { markers: [...markers, `T#${townB}#`], ids: [townB, ...[...ids].sort()] };
}

/** Tokens that must all be refused: each differs from a valid one in one way. */
export async function forgedTokens(stack: TestStack, username: string, otherTown: string): Promise<Record<string, string>> {
  const user = stack.user(username);
  const valid = await stack.token(username);
  const [h, p] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
  const stranger = await loadSigningKey();
  const encode = (o: unknown) => base64url.encode(JSON.stringify(o));
  return {
    'bad signature': await signIdToken({ ...stranger, kid: stack.key.kid }, stack.issuer, user),
    'alg none': `${encode({ alg: 'none', typ: 'JWT' })}.${p}.`,
    expired: await signIdToken(stack.key, stack.issuer, user, { nowSeconds: Math.floor(Date.now() / 1000) - 7200, lifetimeSeconds: 3600 }),
    'wrong issuer': await signIdToken(stack.key, 'http://127.0.0.1:1/auth', user),
    'wrong audience': await signIdToken(stack.key, stack.issuer, user, { audience: 'someone-else' }),
    'tampered town claim': `${h}.${encode({ ...claims, 'custom:town': otherTown })}.${valid.split('.')[2]}`,
    garbage: 'not-a-token',
  };
}

function pathWith(route: RouteSpec, value: (name: string) => string) {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));
}

const pathParams = (route: RouteSpec) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/**
 * Body fields that name the new record a create route makes, chosen by the caller in its own town's
 * namespace (a post's code): they refer to no record, of any town, so they are not aimed at town B — a
 * town admin may well call a post of their own `taoyuan`, and reading it back is not a leak.
 */
const OWN_NEW_IDS: Record<string, readonly string[]> = { 'posts.add': ['postId'] };

/** A valid body for the route with every id-like field pointing at the other town (but OWN_NEW_IDS). */
function bodyAimedAt(route: RouteSpec, ids: string[], seed: number): unknown {
  if (!route.body) return undefined;
  const [sample] = fc.sample(arbitraryFor(route.body), { numRuns: 1, seed });
  const own = OWN_NEW_IDS[route.id] ?? [];
  const aim = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map((x) => aim(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, aim(x, k)]));
    if (typeof v === 'string' && !own.includes(key) && /(Id|Ids|townId|username)$/.test(key)) return ids[seed % ids.length];
    return v;
  };
  return aim(sample);
}

/**
 * Walks the route table as town A's users, aiming every path parameter, query and body at town B,
 * replaying B's cursors and adding forged tokens; reports every response or DynamoDB call that
 * reaches outside A. Generic: a new route is covered by being in the table.
 */
export async function runIsolationSuite(
  stack: TestStack,
  routes: readonly RouteSpec[],
  o: { townA: string; townB: string; callersA: string[]; callerB: string; county: string },
): Promise<SuiteResult> {
  const findings: Finding[] = [];
  const requests = new Map<string, number>();
  const { markers, ids } = await townMarkers(o.townA, o.townB);
  const targets = ids.slice(0, 8);

  // Cursors minted in town B for each listing, to replay in town A.
  const cursorsB: string[] = [];
  for (const r of routes.filter((r) => r.audience === 'town' && r.method === 'GET' && !pathParams(r).length)) {
    const res = await stack.call('GET', r.path, { token: await stack.token(o.callerB), query: { limit: '1' } });
    const next = (res.body as { nextCursor?: string } | undefined)?.nextCursor;
    if (next) cursorsB.push(next);
  }

  let observations: CommandObservation[] = [];
  const stop = observeCommands((ob) => {
    if (ob.scope) observations.push(ob);
  });

  async function probe(route: RouteSpec, caller: string, path: string, opts: CallOptions, expect: (r: CallResult) => string | undefined) {
    observations = [];
    const res = await stack.call(route.method, path, opts);
    requests.set(route.id, (requests.get(route.id) ?? 0) + 1);
    const add = (check: string, detail: string) =>
      findings.push({ route: route.id, caller, check, detail: `${route.method} ${path} ${JSON.stringify(opts.query ?? {})}: ${detail}` });
    if (res.status >= 500) add('server-error', `status ${res.status} ${res.text.slice(0, 200)}`);
    const leaked = markers.find((m) => res.text.includes(m));
    if (leaked) add('foreign-data', `response holds "${leaked}" of ${o.townB}`);
    const prefix = caller === o.county ? 'P#' : `T#${o.townA}#`;
    // An anonymous (public) request may read the readiness key and nothing else.
    const allowed = (k: string) => (route.audience === 'public' ? k === READINESS_KEY : k.startsWith(prefix));
    for (const ob of observations) {
      if (ob.unscoped) add('scan', `${ob.operation} while serving a request`);
      for (const k of ob.partitionKeys) if (!allowed(k)) add('foreign-key', `${ob.operation} on ${k}`);
    }
    const wrong = expect(res);
    if (wrong) add('status', wrong);
  }

  for (const route of routes) {
    if (route.audience === 'public') {
      await probe(route, 'anonymous', route.path, { query: { townId: o.townB } }, () => undefined);
      continue;
    }
    const tokensA = await Promise.all(o.callersA.map(async (u) => [u, await stack.token(u)] as const));
    for (const [caller, token] of tokensA) {
      const role = stack.user(caller).role;
      const allowed = route.audience === 'town' && route.roles.includes(role);
      const expectStatus = (r: CallResult) => {
        if (!allowed && r.status !== 403) return `a ${role} of ${o.townA} got ${r.status} on a route it may not use (403 expected)`;
        if (allowed && r.status >= 200 && r.status < 300 && pathParams(route).length)
          return `got ${r.status} for ${o.townB}'s id (404/400/403 expected)`;
        return undefined;
      };
      const names = pathParams(route);
      const variants = names.length ? targets : [''];
      for (const [n, target] of variants.entries()) {
        const path = names.length ? pathWith(route, () => target) : route.path;
        const body = bodyAimedAt(route, targets, n);
        const headers = { 'x-town-id': o.townB, 'x-tenant': o.townB };
        await probe(
          route,
          caller,
          path,
          { token, query: { townId: o.townB }, body, headers },
          names.length ? expectStatus : (r) => (allowed ? undefined : expectStatus(r)),
        );
        if (route.query)
          for (const cursor of cursorsB)
            await probe(route, caller, path, { token, query: { cursor, limit: '5' }, body }, (r) =>
              allowed && r.status < 400 ? `a cursor of ${o.townB} was accepted (${r.status}); any 4xx expected` : undefined,
            );
      }
    }
    // Forged tokens are refused before any handler runs.
    const forged = await forgedTokens(stack, o.callersA[0] as string, o.townB);
    for (const [kind, token] of Object.entries(forged))
      await probe(
        route,
        `forged: ${kind}`,
        pathWith(route, () => o.townB),
        { token, body: bodyAimedAt(route, targets, 0) },
        (r) => (r.status === 401 ? undefined : `forged token (${kind}) got ${r.status}`),
      );
    // County staff have no town: town routes refuse them.
    if (route.audience === 'town')
      await probe(
        route,
        o.county,
        pathWith(route, () => o.townB),
        { token: await stack.token(o.county), body: bodyAimedAt(route, targets, 0) },
        (r) => (r.status === 403 ? undefined : `county user got ${r.status} on a town route`),
      );
  }
  stop();
  return { findings, requests };
}
