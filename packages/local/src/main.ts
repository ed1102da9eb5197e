// Environment read at import time comes first (see quiet.ts); keep this import at the top.
import './quiet';
import { existsSync, rmSync } from 'node:fs';
import { ensureTable } from '@gridline/data/admin';
import { parseMapTiles, periodContaining } from '@gridline/domain';
import { runJob } from '@gridline/functions/jobs';
import { LocalDirectory, loadSigningKey } from '@gridline/identity';
import { superviseDynamo } from './dynamo';
import { LOCAL_DIR, localMasterKeyFile, localPaths, localSecret } from './paths';
import { startScheduler } from './scheduler';
import { countyIsEmpty, DEMO_PASSWORD, type DemoLogin, seedDemoCounty } from './seed';
import { seedDemoResidents } from './seed-people';
import { seedDemoVisits } from './seed-visits';
import { startLocalStack } from './stack';

/** The county CLI as it runs against this instance: everything it needs is on the line, to copy as it is. */
export function cliHint(url: string): string {
  return `GRIDLINE_API_URL=${url}/api GRIDLINE_USER=county.admin GRIDLINE_PASSWORD=${DEMO_PASSWORD} pnpm gridline towns list`;
}

function printLogins(url: string, database: string, logins: DemoLogin[]) {
  const rows = logins.map((l) => `  ${l.username.padEnd(26)} ${l.role.padEnd(17)} ${l.displayName}  (${l.note})`);
  console.log(`
  Gridline is running.

  Open      ${url}
  API       ${url}/api
  CLI       ${cliHint(url)}
  Data      ${LOCAL_DIR}   (npm run reset wipes it)
  Database  DynamoDB Local at ${database}

  Demo logins (password: ${DEMO_PASSWORD}):
${rows.join('\n')}

  Ctrl-C stops everything.
`);
}

async function up() {
  // Checked before anything starts: a malformed setting stops start-up with the reason.
  const mapTiles = parseMapTiles(process.env.GRIDLINE_MAP_TILES, 'GRIDLINE_MAP_TILES');
  // Watched: if DynamoDB Local dies, the console says so and it comes back on the same port and data.
  const dynamo = await superviseDynamo({
    dataDir: localPaths.dynamo,
    ...(process.env.GRIDLINE_DYNAMODB_PORT ? { port: Number(process.env.GRIDLINE_DYNAMODB_PORT) } : {}),
  });
  process.env.GRIDLINE_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.GRIDLINE_TABLE = process.env.GRIDLINE_TABLE ?? 'gridline';
  process.env.GRIDLINE_CURSOR_SECRET = localSecret();
  process.env.GRIDLINE_MASTER_KEY_FILE = localMasterKeyFile();
  process.env.GRIDLINE_BLOB_DIR = localPaths.blobs;
  const directory = new LocalDirectory(localPaths.directory);
  const key = await loadSigningKey(localPaths.signingKey);
  const stops: Array<() => Promise<void> | void> = [() => dynamo.stop()];
  try {
    await ensureTable();
    let logins: DemoLogin[];
    if (await countyIsEmpty()) {
      console.log('  Seeding the demo county (云溪县, three towns)…');
      logins = await seedDemoCounty(directory);
      console.log('  Importing the demo population books…');
      const residents = await seedDemoResidents(directory);
      console.log('  Recording five weeks of household visits…');
      const at = new Date().toISOString();
      for (const r of residents) {
        const v = await seedDemoVisits(r.townId, at);
        console.log(`    ${r.townId}: ${v.visits} visits to ${v.households} households, ${v.overdue} overdue this morning`);
      }
      await rollUpToday();
    } else {
      logins = demoLoginsFromDirectory(directory);
    }
    if (!existsSync(localPaths.web))
      console.warn('  The web app is not built; `pnpm start` builds it (or: pnpm --filter @gridline/web build).');
    const stack = await startLocalStack({
      key,
      directory,
      webDir: localPaths.web,
      port: Number(process.env.GRIDLINE_PORT ?? 5173),
      host: process.env.GRIDLINE_HOST ?? '127.0.0.1',
      mapTiles,
    });
    stops.unshift(() => stack.close());
    const scheduler = startScheduler({
      onRun: (e) => {
        // The sweep runs every minute; it is worth a line only when it restarted something or failed.
        if (e.job === 'sweep' && e.ok && !(e.detail as { started?: unknown[] } | undefined)?.started?.length) return;
        console.log(`  [jobs] ${e.job} at ${e.at}: ${e.ok ? 'done' : `failed: ${String(e.detail)}`}`);
      },
      ...(process.env.GRIDLINE_JOB_SWEEP_SECONDS ? { sweepEverySeconds: Number(process.env.GRIDLINE_JOB_SWEEP_SECONDS) } : {}),
    });
    stops.unshift(() => scheduler.stop());
    console.log(`  Jobs scheduled (Asia/Shanghai): ${scheduler.jobs.map((j) => `${j.name} [${j.cron}]`).join(', ')}`);
    printLogins(stack.url.replace('127.0.0.1', 'localhost'), dynamo.endpoint, logins);
  } catch (e) {
    for (const s of stops) await s();
    throw e;
  }
  const shutdown = async () => {
    console.log('\n  Stopping Gridline…');
    for (const s of stops) await s();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/**
 * The demo county's first rollups (this month, this quarter and today so far), so the county dashboard
 * has something to show straight away. Later ones come from the scheduler or the console's "run now".
 */
async function rollUpToday() {
  const at = new Date().toISOString();
  const first = { 'rollup-monthly': 'month', 'rollup-quarterly': 'quarter', 'rollup-daily': 'day' } as const;
  for (const [job, kind] of Object.entries(first)) await runJob({ job, at, period: periodContaining(at, kind) });
}

/** On later runs the seed is not repeated; the demo accounts are read back from the local directory. */
function demoLoginsFromDirectory(directory: LocalDirectory): DemoLogin[] {
  return directory.all().map((u) => ({
    username: u.username,
    role: u.role,
    displayName: u.displayName,
    note: u.townId ?? 'county',
    ...(u.townId ? { town: u.townId } : {}),
  }));
}

function reset() {
  rmSync(LOCAL_DIR, { recursive: true, force: true });
  console.log(`Local data removed (${LOCAL_DIR}). The next start seeds the demo county again.`);
}

const command = process.argv[2] ?? 'up';
if (command === 'up') {
  up().catch((e: unknown) => {
    console.error(`\n  Gridline could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
} else if (command === 'reset') {
  reset();
} else {
  console.error(`unknown command: ${command} (up | reset)`);
  process.exit(2);
}
