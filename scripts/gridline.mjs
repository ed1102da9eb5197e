#!/usr/bin/env node
// The README's commands: `npm start` (up), `npm test`, `npm run reset`, `npm run bench`.
// Plain Node, no dependencies: it runs on a fresh clone, installs what the project needs from the
// npm registry, and says clearly what it cannot install itself (Java, Chromium).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const command = process.argv[2] ?? 'up';

const say = (msg) => console.log(`[gridline] ${msg}`);
function fail(msg) {
  console.error(`\n[gridline] ${msg}\n`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: Gridline needs Node 20.19+ (or 22+).`);
}

function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : null;
}

function ensurePnpm() {
  if (has('pnpm') === pnpmVersion) return;
  say(`installing pnpm ${pnpmVersion} from the npm registry…`);
  const r = spawnSync('npm', ['install', '-g', `pnpm@${pnpmVersion}`], { stdio: 'inherit' });
  if (r.status !== 0 || has('pnpm') !== pnpmVersion)
    fail(`Could not install pnpm ${pnpmVersion}. Install it yourself: npm install -g pnpm@${pnpmVersion}`);
}

function newest(dir, skip = new Set(['node_modules', 'build', '.svelte-kit', 'dist'])) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}

function ensureInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(root, 'pnpm-lock.yaml')).mtimeMs) return;
  say('installing dependencies (pnpm install --frozen-lockfile)…');
  execFileSync('pnpm', ['install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit' });
}

function checkJava() {
  if (!has('java', ['-version']))
    fail(
      'Java is missing: DynamoDB Local (the local database) needs a Java 17+ runtime.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17',
    );
}

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p) => p && existsSync(p));
}

function checkChromium() {
  const path = chromiumPath();
  if (!path)
    fail(
      'Chromium is missing: the end-to-end tests drive a real browser.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
        '  Elsewhere:     set CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  process.env.CHROMIUM_PATH = path;
}

function buildWeb() {
  const web = join(root, 'web');
  const out = join(web, 'build', 'index.html');
  if (existsSync(out) && statSync(out).mtimeMs >= newest(web)) return;
  say('building the web app…');
  // A production build whatever the caller's NODE_ENV: under vitest (NODE_ENV=test, e.g. tests/local
  // spawning `up`) Svelte would otherwise compile its development runtime into the bundles.
  execFileSync('pnpm', ['--filter', '@gridline/web', 'run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * Runs pnpm in a process group of its own and hands every stop signal to that whole group: pnpm does
 * not pass a signal on to what it started (tsx, node, DynamoDB Local's java), so a SIGTERM sent to this
 * process alone, as a process manager sends it, would otherwise leave them running. Ctrl-C in a
 * terminal reaches this process (the foreground group) and is handed on the same way.
 */
function run(args) {
  const child = spawn('pnpm', args, { cwd: root, stdio: 'inherit', detached: true });
  const forward = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // The group is gone already: nothing left to stop.
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => forward(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

checkNode();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.CDK_DISABLE_CLI_TELEMETRY = 'true';
switch (command) {
  case 'up':
    ensurePnpm();
    ensureInstall();
    checkJava();
    buildWeb();
    run(['exec', 'tsx', 'packages/local/src/main.ts', 'up']);
    break;
  case 'test':
    ensurePnpm();
    ensureInstall();
    checkJava();
    checkChromium();
    buildWeb();
    run(['run', 'test:all']);
    break;
  case 'bench':
    ensurePnpm();
    ensureInstall();
    checkJava();
    checkChromium();
    run(['run', 'bench:run']);
    break;
  case 'reset':
    ensurePnpm();
    ensureInstall();
    run(['exec', 'tsx', 'packages/local/src/main.ts', 'reset']);
    break;
  default:
    fail(`unknown command ${command}: use up, test, bench or reset`);
}
