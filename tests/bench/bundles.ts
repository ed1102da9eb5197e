import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type Bundle, bundleAreas } from '@gridline/functions/build';

/**
 * Issue 10, item 7: 200 KB, read strictly as 200,000 bytes, of what a cold start loads (the entry chunk
 * and every chunk it imports statically); chunks loaded on a route's first call are reported beside it.
 */
export const BUNDLE_BUDGET_BYTES = 200_000;
/** Issue 10, item 7: a handler's cold import median at most this many times a bare `node -e 0` process. */
export const COLD_IMPORT_RATIO = 2.5;

export type BundleRow = Bundle & {
  /** Packages the eager chunks load from the runtime at import time. */
  externals: string[];
  /** Packages only the lazy chunks load, on the first request that needs them. */
  lazyExternals: string[];
  verdict: 'ok' | 'FAIL';
  problem?: string;
};
export type ColdRow = { area: string; runs: number; medianMs: number; minMs: number; maxMs: number };
export type ColdImports = { rows: Array<ColdRow & { ratio: number; verdict: 'ok' | 'FAIL'; problem?: string }>; bareNode: ColdRow };

/** A package name (optionally scoped, with a subpath) or a `node:` builtin, quoted alike on both sides. */
const SPECIFIER = String.raw`(["'])((?:node:)?(?:@[\w.-]+\/)?\w[\w.-]*(?:\/[\w.-]+)*)\1`;
/**
 * Where a bundle loads a package: `import … from`, `import(…)`, and the `require(…)` esbuild keeps for
 * CommonJS dependencies of external packages (minified, under any name, so any call of one argument
 * naming an SDK package). Text that merely follows the word "import" (the route summary "An import's
 * preview, …", minified code) is not one.
 */
const LOADS = [
  new RegExp(String.raw`(?:\bfrom|\bimport)\s*\(?\s*${SPECIFIER}`, 'g'),
  /[\w$]\(\s*(["'])((?:@aws-sdk|@smithy)\/[\w.-]+(?:\/[\w.-]+)*)\1\s*\)/g,
];

/** `import("…")`: loaded when that line runs (a route's first call), not when the chunk is imported. */
const DYNAMIC = new RegExp(String.raw`\bimport\s*\(\s*${SPECIFIER}\s*\)`, 'g');

const packageOf = (spec: string) => {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
};

/**
 * Packages bundle files leave to the runtime (the AWS SDK and its @smithy parts), found where they load
 * them: `loaded` when the files are imported, `onCall` only through an `import()` they run later.
 */
function externalsOf(files: string[]): { loaded: string[]; onCall: string[] } {
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const keep = (specs: string[]) => [...new Set(specs.filter((s) => !isBuiltin(s)).map(packageOf))].sort();
  const onCall = keep([...code.matchAll(DYNAMIC)].map((m) => m[2] as string));
  const direct = code.replace(DYNAMIC, '');
  const loaded = keep(LOADS.flatMap((re) => [...direct.matchAll(re)]).map((m) => m[2] as string));
  return { loaded, onCall: onCall.filter((p) => !loaded.includes(p)) };
}

/**
 * The Lambda runtime provides the AWS SDK; here the workspace does. The bundles sit in a temp folder,
 * so its node_modules gets links to the copies the workspace packages install, or, for a package no
 * workspace package names itself (an SDK part a dependency requires), to pnpm's copy of it.
 */
function linkExternals(root: string, outDir: string, names: string[]) {
  const homes = [
    join(root, 'functions'),
    ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p)),
    join(root, 'tests'),
    root,
    join(root, 'node_modules', '.pnpm'),
  ];
  for (const name of names) {
    const link = join(outDir, 'node_modules', name);
    if (existsSync(link)) continue;
    const home = homes.map((h) => join(h, 'node_modules', name)).find((p) => existsSync(p));
    if (!home) throw new Error(`bundles import ${name}, which no workspace package installs`);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(home), link, 'dir');
  }
}

export async function measureBundles(root: string, outDir: string): Promise<BundleRow[]> {
  const bundles = await bundleAreas(outDir);
  const rows: BundleRow[] = bundles.map((b) => {
    const eager = externalsOf(b.eager.map((c) => join(b.dir, c.file)));
    const lazy = externalsOf(b.lazy.map((c) => join(b.dir, c.file)));
    const externals = eager.loaded;
    const lazyExternals = [...new Set([...eager.onCall, ...lazy.loaded, ...lazy.onCall])].filter((e) => !externals.includes(e)).sort();
    const row: BundleRow = { ...b, externals, lazyExternals, verdict: 'ok' };
    if (b.bytes > BUNDLE_BUDGET_BYTES) {
      row.verdict = 'FAIL';
      row.problem = `bundle ${b.area} loads ${b.bytes} bytes minified at cold start (entry and static chunks); the budget is ${BUNDLE_BUDGET_BYTES}`;
    }
    return row;
  });
  linkExternals(root, outDir, [...new Set(rows.flatMap((r) => [...r.externals, ...r.lazyExternals]))]);
  return rows;
}

/** What a Lambda runtime would have at cold start: no DynamoDB endpoint, no secrets, a region. */
function childEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: 'cn-north-1',
    NODE_ENV: 'production',
  };
}

// Runs in the fresh process: only the import is timed, not Node's own start.
const IMPORT_PROBE = `
const { performance } = await import('node:perf_hooks');
const started = performance.now();
const mod = await import(process.env.BENCH_MODULE);
const ms = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ ms }));
`;

function importOnce(file: string): number {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE], {
    env: { ...childEnv(), BENCH_MODULE: pathToFileURL(file).href },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`importing ${file} failed (${r.status}):\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { ms: number }).ms;
}

function bareNodeOnce(): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['-e', '0'], { env: childEnv() });
  if (r.status !== 0) throw new Error('node -e 0 failed');
  return performance.now() - started;
}

const summarise = (area: string, xs: number[]): ColdRow => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { area, runs: s.length, medianMs: median, minMs: s[0] as number, maxMs: s[s.length - 1] as number };
};

/**
 * Cold import per handler: a fresh `node` per run imports the bundle and times the import alone.
 * One unrecorded warm-up per bundle fills the file cache; the measured runs then go round the bundles
 * in turn so a burst of load on the shared machine does not land on one bundle only.
 */
export function measureColdImports(bundles: Bundle[], runs: number): ColdImports {
  for (const b of bundles) importOnce(b.file);
  bareNodeOnce();
  const times = new Map<string, number[]>(bundles.map((b) => [b.area, []]));
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const b of bundles) times.get(b.area)?.push(importOnce(b.file));
    bare.push(bareNodeOnce());
  }
  const bareNode = summarise('node -e 0 (whole process)', bare);
  return {
    rows: bundles.map((b) => {
      const row = summarise(b.area, times.get(b.area) ?? []);
      const ratio = row.medianMs / bareNode.medianMs;
      if (ratio <= COLD_IMPORT_RATIO) return { ...row, ratio, verdict: 'ok' as const };
      const problem =
        `cold import of ${b.area}: median ${row.medianMs.toFixed(1)} ms is ${ratio.toFixed(1)}× a bare node -e 0 ` +
        `(${bareNode.medianMs.toFixed(1)} ms); the budget is ${COLD_IMPORT_RATIO}×`;
      return { ...row, ratio, verdict: 'FAIL' as const, problem };
    }),
    bareNode,
  };
}
