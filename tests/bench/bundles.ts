import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type Bundle, bundleAreas } from '@gridline/functions/build';

/** 500 KB, read strictly as 500,000 bytes. */
export const BUNDLE_BUDGET_BYTES = 500_000;

export type BundleRow = Bundle & { externals: string[]; verdict: 'ok' | 'FAIL'; problem?: string };
export type ColdRow = { area: string; runs: number; medianMs: number; minMs: number; maxMs: number };

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

/** Packages a bundle leaves to the runtime (the AWS SDK and its @smithy parts), found where it loads them. */
function externalsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const m of LOADS.flatMap((re) => [...code.matchAll(re)])) {
    const spec = m[2] as string;
    if (isBuiltin(spec)) continue;
    const parts = spec.split('/');
    found.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
  }
  return [...found].sort();
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
    const row: BundleRow = { ...b, externals: externalsOf(b.file), verdict: 'ok' };
    if (b.bytes > BUNDLE_BUDGET_BYTES) {
      row.verdict = 'FAIL';
      row.problem = `bundle ${b.area} is ${b.bytes} bytes minified; the budget is ${BUNDLE_BUDGET_BYTES}`;
    }
    return row;
  });
  linkExternals(root, outDir, [...new Set(rows.flatMap((r) => r.externals))]);
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
export function measureColdImports(bundles: Bundle[], runs: number): { rows: ColdRow[]; bareNode: ColdRow } {
  for (const b of bundles) importOnce(b.file);
  bareNodeOnce();
  const times = new Map<string, number[]>(bundles.map((b) => [b.area, []]));
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const b of bundles) times.get(b.area)?.push(importOnce(b.file));
    bare.push(bareNodeOnce());
  }
  return {
    rows: bundles.map((b) => summarise(b.area, times.get(b.area) ?? [])),
    bareNode: summarise('node -e 0 (whole process)', bare),
  };
}
