import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@gridline/local';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'gridline-up-'));
const npmStartDir = mkdtempSync(join(tmpdir(), 'gridline-npm-start-'));
let child: ChildProcess | undefined;
/** Everything the npm-start test started, so that a failed test still leaves nothing behind. */
let started: number[] = [];
afterAll(() => {
  // Whatever is still below the process under test (a test that failed half-way) goes with it.
  const rest = [...started, ...(child?.pid ? descendants(child.pid).map((p) => p.pid) : [])];
  child?.kill('SIGKILL');
  for (const pid of rest) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(npmStartDir, { recursive: true, force: true });
});

/** Whether a process still runs (a zombie waiting for its parent to reap it runs no more). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The processes below `pid` (children, grandchildren, …) with their command lines, from /proc. */
function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${c}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        // ended
      }
      out.push({ pid: c, cmd });
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Starts the README's local runtime (what `npm start` runs after installing) and waits for its banner. */
async function up(port: number): Promise<{ proc: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts', 'up'], {
    cwd: root,
    env: { ...process.env, GRIDLINE_LOCAL_DIR: dataDir, GRIDLINE_PORT: String(port), GRIDLINE_TABLE: 'gridline' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (proc.exitCode !== null) throw new Error(`up exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`up did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, output: () => out };
}

async function stop(proc: ChildProcess) {
  proc.kill('SIGINT');
  await new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
}

describe('the local runtime (npm start)', () => {
  it('starts the database, seeds the demo county once, serves API and issuer, keeps data across restarts and stops cleanly', async () => {
    const port = await freePort();
    const first = await up(port);
    child = first.proc;
    expect(first.output()).toContain('Seeding the demo county');
    expect(first.output()).toContain('county.admin');
    expect(first.output()).toContain('tenant-summary');
    // The demo towns come with residents: the sample book in qingshi, generated books elsewhere.
    expect(first.output()).toContain('青石镇 qingshi: 400 people in 131 households');
    expect(first.output()).toMatch(/桃源街道 taoyuan: \d+ people/);
    expect(first.output()).toMatch(/白沙镇 baisha: \d+ people/);
    const base = `http://127.0.0.1:${port}`;
    const townLogin = await fetch(`${base}/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'qingshi.admin', password: 'gridline-demo' }),
    });
    const townToken = ((await townLogin.json()) as { idToken: string }).idToken;
    const map = await fetch(`${base}/api/town/map`, { headers: { authorization: `Bearer ${townToken}` } });
    const grids = ((await map.json()) as { grids: Array<{ people: number; households: number }> }).grids;
    expect([grids.reduce((n, g) => n + g.people, 0), grids.reduce((n, g) => n + g.households, 0)]).toEqual([400, 131]);
    // The demo map shows both views: 青石镇 schematic only, 桃源街道 all drawn, 白沙镇 two drawn beside one schematic.
    const drawn = async (username: string) => {
      const signIn = await fetch(`${base}/auth/login`, { method: 'POST', body: JSON.stringify({ username, password: 'gridline-demo' }) });
      const token = ((await signIn.json()) as { idToken: string }).idToken;
      const answer = await fetch(`${base}/api/town/map`, { headers: { authorization: `Bearer ${token}` } });
      const all = ((await answer.json()) as { grids: Array<{ gridId: string; boundary?: { type: string } }> }).grids;
      return all
        .filter((g) => g.boundary?.type === 'Polygon')
        .map((g) => g.gridId)
        .sort();
    };
    expect(await drawn('qingshi.admin')).toEqual([]);
    expect(await drawn('taoyuan.admin')).toEqual(['hx-g1', 'ty-g1', 'ty-g2']);
    expect(await drawn('baisha.admin')).toEqual(['bs-g1', 'bs-g2']);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'county.admin', password: 'gridline-demo' }),
    });
    const { idToken } = (await login.json()) as { idToken: string };
    const put = await fetch(`${base}/api/admin/towns/liushu`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '柳树镇', admin: { username: 'liushu.admin', displayName: '蒋文' } }),
    });
    expect(put.status).toBe(201);
    await stop(first.proc);
    // Ctrl-C took DynamoDB Local down with it.
    const db = /DynamoDB Local at (http:\/\/\S+)/.exec(first.output())?.[1];
    expect(db).toBeTruthy();
    await expect(fetch(db as string, { method: 'POST' })).rejects.toThrow();

    const second = await up(port);
    child = second.proc;
    expect(second.output()).not.toContain('Seeding the demo county');
    expect(second.output()).not.toContain('Importing the demo population books');
    const again = await fetch(`${base}/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'county.admin', password: 'gridline-demo' }),
    });
    const token = ((await again.json()) as { idToken: string }).idToken;
    const list = await fetch(`${base}/api/admin/towns?limit=10`, { headers: { authorization: `Bearer ${token}` } });
    const towns = ((await list.json()) as { items: Array<{ townId: string }> }).items.map((t) => t.townId);
    expect(towns).toEqual(['baisha', 'liushu', 'qingshi', 'taoyuan']);
    await stop(second.proc);

    const reset = spawnSync(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts', 'reset'], {
      cwd: root,
      env: { ...process.env, GRIDLINE_LOCAL_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(reset.status).toBe(0);
    expect(reset.stdout).toContain('Local data removed');
  });
});

describe('npm start under a process manager', () => {
  it('prints a CLI line that works as printed, and stops everything when only its own process gets SIGTERM', {
    timeout: 300_000,
  }, async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    // What `npm start` runs: scripts/gridline.mjs up (install checks, web build if stale, then the runtime).
    const proc = spawn(process.execPath, ['scripts/gridline.mjs', 'up'], {
      cwd: root,
      env: { ...process.env, GRIDLINE_LOCAL_DIR: npmStartDir, GRIDLINE_PORT: String(port), GRIDLINE_DYNAMODB_PORT: String(dbPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 240_000;
    while (!out.includes('Ctrl-C stops everything')) {
      if (proc.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // The banner's CLI line, run exactly as printed, lists the demo towns.
    const hint = /CLI\s+(GRIDLINE_API_URL=.*)$/m.exec(out)?.[1]?.trim();
    expect(hint).toContain(`:${port}/api`);
    const cli = spawnSync('sh', ['-c', hint as string], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect([cli.status, cli.stderr]).toEqual([0, expect.not.stringContaining('Not signed in')]);
    expect(cli.stdout).toContain('qingshi');

    const below = descendants(proc.pid as number);
    started = below.map((p) => p.pid);
    expect(below.some((p) => /\bjava\b/.test(p.cmd))).toBe(true);
    // SIGTERM to the top process only, not its group, as systemd or a container runtime would send it.
    proc.kill('SIGTERM');
    await new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', () => r())));
    const until = Date.now() + 20_000;
    while (started.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(below.filter((p) => alive(p.pid))).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${dbPort}`, { method: 'POST' })).rejects.toThrow();
  });
});
