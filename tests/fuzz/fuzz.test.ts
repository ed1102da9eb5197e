import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostileFiles } from '@gridline/book/testing/hostile';
import { type CommandObservation, observeCommands, READINESS_KEY } from '@gridline/data';
import { boundRoutes, type RouteSpec, routeTable } from '@gridline/functions';
import { runJob } from '@gridline/functions/jobs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arbitraryFor, hostileValue, mutated } from '../support/arbitrary';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
});
afterAll(async () => {
  // Whatever the fuzz managed to write, the maintained counters still equal a recount.
  const towns = (await runJob({ job: 'reconcile' })) as Array<{ townId: string; drift: number }>;
  await stack.close();
  expect(towns.filter((t) => t.drift !== 0)).toEqual([]);
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const STABLE_CODE = /^[a-z_]+(\.[a-z_]+)+$|^internal$/;

/** A caller allowed on the route, so the fuzz reaches validation and the handler, not just the 403. */
function callerFor(route: RouteSpec): string | undefined {
  if (route.audience === 'public') return undefined;
  if (route.audience === 'county') return 'county.admin';
  const byRole: Record<string, string> = {
    town_admin: 'qingshi.admin',
    community_staff: 'qingshi.station1',
    grid_coordinator: 'qingshi.grid1',
    mediator: 'qingshi.mediator',
    auditor: 'qingshi.auditor',
  };
  return byRole[route.roles.find((r) => byRole[r]) ?? 'town_admin'];
}

const pathNames = (route: RouteSpec) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
const textOf = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
/**
 * Encodes a path segment so it stays one segment. URL parsing removes a bare `.` or `..` (even as
 * %2E), which would make another path that the gateway answers with its own 404; such values get a
 * suffix so they still reach the route's validation.
 */
const segment = (v: unknown) => {
  const s = encodeURIComponent(String(v ?? 'x')) || 'x';
  return /^\.+$/.test(s) ? `${s}_` : s;
};

/**
 * The routes an invited outside participant reaches (the mediation case routes, decision 160) are fuzzed
 * a second time as the demo's participant, whose invitation covers one case.
 */
const PARTICIPANT = 'qingshi.judge';
/** Ids of records the demo seeds, by path parameter: the judge's invited case, an open and an agreed one. */
const KNOWN_IDS: Record<string, readonly string[]> = { caseId: ['qingshi-demo-m1', 'qingshi-demo-m3', 'qingshi-demo-m4'] };

describe('fuzzing every route of the table', () => {
  const runs = routeTable.flatMap((route) => [
    { route, username: callerFor(route) },
    ...(route.audience === 'town' && route.roles.includes('participant') ? [{ route, username: PARTICIPANT }] : []),
  ]);
  for (const { route, username } of runs) {
    const as = username === PARTICIPANT ? ` (as ${PARTICIPANT})` : '';
    it(`${route.method} ${route.path}${as}: never a 5xx, every 4xx in the stable error body`, async () => {
      const token = username ? await stack.token(username) : undefined;
      const names = pathNames(route);
      const known = names.filter((n) => KNOWN_IDS[n]);
      const paramValue = fc.oneof(
        { weight: 3, arbitrary: arbitraryFor(route.params, true).map((p) => p as Record<string, string>) },
        // Records the demo seeds, so bodies reach the rules of a real record and not only its 404.
        ...(known.length
          ? [{ weight: 2, arbitrary: fc.record(Object.fromEntries(known.map((n) => [n, fc.constantFrom(...(KNOWN_IDS[n] ?? []))]))) }]
          : []),
        {
          weight: 1,
          arbitrary: fc.dictionary(
            fc.constantFrom(...(names.length ? names : ['x'])),
            hostileValue.map(textOf).filter((s) => s.length > 0),
          ),
        },
      );
      // URLs longer than the gateway's limit (about 10 KB for an HTTP API) never reach a handler: the
      // gateway (here Node's HTTP parser, 16 KB of headers) refuses them first, so the fuzz stays below.
      const query = fc
        .oneof(
          arbitraryFor(route.query, true).map((q) => (q ?? {}) as Record<string, unknown>),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileValue.map(textOf)),
        )
        .filter((q) => encodeURIComponent(JSON.stringify(q)).length < 6000);
      const body = fc.oneof(
        { weight: 2, arbitrary: arbitraryFor(route.body).map((b) => ({ json: b })) },
        { weight: 2, arbitrary: mutated(arbitraryFor(route.body)).map((b) => ({ json: b })) },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ raw })) },
      );
      const foreign: string[] = [];
      const stop = observeCommands((o: CommandObservation) => {
        if (!o.scope) return;
        const prefix = route.audience === 'county' ? 'P#' : 'T#qingshi#';
        // A public request may read the readiness key and nothing else.
        const allowed = (k: string) => (route.audience === 'public' ? k === READINESS_KEY : k.startsWith(prefix));
        for (const k of o.partitionKeys) if (!allowed(k) && !(route.id === 'towns.put' && k.startsWith('T#'))) foreign.push(k);
        if (o.unscoped) foreign.push(o.operation);
      });
      try {
        await fc.assert(
          fc.asyncProperty(paramValue, query, body, async (params, q, b) => {
            const path = route.path.replace(/\{(\w+)\}/g, (_m, n: string) => segment(params?.[n]));
            const res = await stack.call(route.method, path, {
              token,
              query: Object.fromEntries(
                Object.entries(q)
                  .filter(([, v]) => v !== undefined)
                  .map(([k, v]) => [k, textOf(v)]),
              ),
              ...(route.method === 'GET' ? {} : 'raw' in b ? { rawBody: b.raw as string } : b.json === undefined ? {} : { body: b.json }),
            });
            expect(res.status, res.text).toBeLessThan(500);
            if (res.status >= 400) {
              const err = (res.body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } }).error;
              expect(err, res.text).toBeDefined();
              expect(String(err?.code)).toMatch(STABLE_CODE);
              expect(typeof err?.message).toBe('string');
              expect(typeof err?.requestId).toBe('string');
            } else {
              expect(res.headers.get('content-type')).toContain('application/json');
            }
          }),
          { numRuns: RUNS },
        );
      } finally {
        stop();
      }
      expect(foreign).toEqual([]);
    });
  }
});

type BodyDef = { shape?: Record<string, unknown>; _zod?: { def?: { type?: string; options?: BodyDef[] } } };
/** Whether a body schema (an object, or a union with an object among its options) takes `contentBase64`. */
const takesInlineFile = (body: BodyDef | undefined): boolean => {
  if (!body) return false;
  if (body.shape) return 'contentBase64' in body.shape;
  const def = body._zod?.def;
  return def?.type === 'union' && (def.options ?? []).some(takesInlineFile);
};
/** Routes that take a file inline in their body (`contentBase64`): the book preview today. */
const inlineFileRoutes = routeTable.filter((r) => takesInlineFile(r.body as BodyDef | undefined));
it('finds the routes that take a file inline, union bodies included', () => {
  expect(inlineFileRoutes.map((r) => r.id)).toContain('book.import.preview');
});

describe('fuzzing the upload routes with files', () => {
  const fixtures = resolve(import.meta.dirname, '../../packages/book/fixtures');
  const samples = [new Uint8Array(readFileSync(join(fixtures, 'book.xlsx'))), new Uint8Array(readFileSync(join(fixtures, 'book.csv')))];
  // Damage of the kinds files suffer in transit and on USB sticks: flipped bytes, a cut-off tail, a
  // block repeated or dropped; applied to the real XLSX and GBK CSV so the damage lands inside zip
  // streams, XML and multi-byte characters.
  const damaged = fc
    .record({
      sample: fc.constantFrom(...samples),
      flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
      cut: fc.option(fc.nat()),
      repeat: fc.option(fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 4096 }), times: fc.integer({ min: 1, max: 50 }) })),
    })
    .map(({ sample, flips, cut, repeat }) => {
      let bytes = sample.slice();
      for (const f of flips) bytes[f.at % bytes.length] = f.byte;
      if (repeat) {
        const at = repeat.at % bytes.length;
        const block = bytes.subarray(at, at + repeat.length);
        bytes = new Uint8Array([
          ...bytes.subarray(0, at),
          ...Array.from({ length: repeat.times }, () => [...block]).flat(),
          ...bytes.subarray(at),
        ]);
      }
      if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      return { fileName: sample[0] === 0x50 ? 'book.xlsx' : 'book.csv', bytes };
    });
  const hostile = hostileFiles();

  for (const route of inlineFileRoutes) {
    it(`${route.method} ${route.path}: damaged and hostile files get a 201 preview or a stable 4xx, each within seconds`, async () => {
      const token = await stack.token(callerFor(route) as string);
      const send = async (fileName: string, bytes: Uint8Array) => {
        const started = performance.now();
        const res = await stack.call(route.method, route.path, {
          token,
          body: { fileName, contentBase64: Buffer.from(bytes).toString('base64') },
        });
        const ms = performance.now() - started;
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status >= 400) expect(String((res.body as { error?: { code?: unknown } }).error?.code)).toMatch(STABLE_CODE);
        return { res, ms };
      };
      for (const file of hostile) {
        const { res, ms } = await send(file.fileName, file.bytes);
        // A hostile file is never a usable book: refused as unreadable, or previewed with its file error.
        if (res.status === 201) expect((res.body as { fileErrors: unknown[] }).fileErrors.length, file.name).toBeGreaterThan(0);
        else expect(res.status, file.name).toBe(422);
        // The reader's own bound is one second (packages/book hostile.test.ts); over HTTP the request
        // adds base64, the pipeline and a write, on a machine the whole suite shares.
        expect(ms, file.name).toBeLessThan(3000);
      }
      await fc.assert(
        fc.asyncProperty(damaged, async ({ fileName, bytes }) => {
          const { ms } = await send(fileName, bytes);
          expect(ms).toBeLessThan(3000);
        }),
        { numRuns: Math.min(RUNS, 25) },
      );
    });
  }
});
