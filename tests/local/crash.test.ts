import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoBookFile, freePort } from '@gridline/local';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'gridline-crash-'));
const ROWS = 1000;
let group: number | undefined;
/** The whole stack — Node and its DynamoDB Local — dies at once, as on a power cut. */
const killAll = () => {
  if (group === undefined) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // already gone
  }
  group = undefined;
};
afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `npm start`'s runtime in a process group of its own, with short leases and a sweep every two seconds. */
async function up(port: number, dbPort: number): Promise<() => string> {
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts', 'up'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      GRIDLINE_LOCAL_DIR: dataDir,
      GRIDLINE_PORT: String(port),
      GRIDLINE_DYNAMODB_PORT: String(dbPort),
      GRIDLINE_TABLE: 'gridline',
      GRIDLINE_JOB_LEASE_SECONDS: '10',
      GRIDLINE_JOB_SWEEP_SECONDS: '2',
      GRIDLINE_IMPORT_WCU_PER_SECOND: '1500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  group = proc.pid;
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 180_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (proc.exitCode !== null) throw new Error(`up exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`up did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return () => out;
}

type Progress = { total: number; done: number; created: number; updated: number; unchanged: number; failed: number };
type ImportView = {
  importId: string;
  status: string;
  attempts?: number;
  progress?: Progress;
  stats: { create: number; unchanged: number; update: number; rejected: number };
};

describe('an import when the local stack is killed midway', () => {
  it('finishes by itself after a restart: status done, counts equal to the file, no duplicates, zero drift', async () => {
    const port = await freePort();
    const dbPort = await freePort();
    await up(port, dbPort);
    const base = `http://127.0.0.1:${port}`;
    const token = async () => {
      const r = await fetch(`${base}/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ username: 'taoyuan.admin', password: 'gridline-demo' }),
      });
      return ((await r.json()) as { idToken: string }).idToken;
    };
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${await token()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };

    // 桃源街道's book grown to 1,000 people: its 220 demo residents again, and the rest new.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const file = demoBookFile('taoyuan', { today, people: ROWS });
    const preview = await api('POST', '/town/imports', {
      fileName: file.fileName,
      contentBase64: Buffer.from(file.bytes).toString('base64'),
    });
    expect(preview.status).toBe(201);
    const v = preview.body as ImportView;
    expect(v.stats).toMatchObject({ rejected: 0, update: 0 });
    expect(v.stats.create + v.stats.unchanged).toBe(ROWS);
    expect((await api('POST', `/town/imports/${v.importId}/commit`)).status).toBe(202);

    // Killed while people are being written.
    let killedAt = 0;
    for (let i = 0; i < 1200; i++) {
      const s = (await api('GET', `/town/imports/${v.importId}`)).body as ImportView;
      if (s.status === 'done') throw new Error('the import finished before the stack could be killed');
      const done = s.progress?.done ?? 0;
      if (done > (s.progress?.unchanged ?? 0) + 200) {
        killedAt = done;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(killedAt).toBeGreaterThan(0);
    killAll();
    await new Promise((r) => setTimeout(r, 500));

    const restartedAt = Date.now();
    const output = await up(port, dbPort);
    // After the restart the record still says running (its runner is dead); nobody touches it until the lease expires.
    let finished: ImportView | undefined;
    while (Date.now() - restartedAt < 150_000) {
      const s = (await api('GET', `/town/imports/${v.importId}`)).body as ImportView;
      if (s.status === 'done' || s.status === 'failed') {
        finished = s;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(finished?.status, output()).toBe('done');
    expect(finished?.attempts).toBe(2);
    expect(finished?.progress).toEqual({
      total: ROWS,
      done: ROWS,
      created: v.stats.create,
      updated: 0,
      unchanged: v.stats.unchanged,
      failed: 0,
    });
    expect(output()).toMatch(/\[jobs\] sweep at .*: done/);

    // The list the import page shows has it, done.
    const list = (await api('GET', '/town/imports?limit=5')).body as { items: ImportView[] };
    expect(list.items[0]).toMatchObject({ importId: v.importId, status: 'done', progress: { done: ROWS } });

    // The map (from the maintained counters) agrees.
    const map = (await api('GET', '/town/map')).body as { grids: Array<{ people: number }> };
    expect(map.grids.reduce((n, g) => n + g.people, 0)).toBe(ROWS);

    // What is stored, counted from the records: exactly the file, nothing twice, counters equal to a recount.
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'tests/support/check-town.ts', 'taoyuan'], {
      cwd: root,
      env: {
        ...process.env,
        GRIDLINE_DYNAMODB_ENDPOINT: `http://127.0.0.1:${dbPort}`,
        GRIDLINE_TABLE: 'gridline',
        GRIDLINE_CURSOR_SECRET: 'crash-test-check-only',
        AWS_REGION: 'cn-north-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
    const stored = JSON.parse(check.stdout.trim().split('\n').pop() as string) as Record<string, number>;
    const households = new Set(file.people.map((p) => p.householdNo)).size;
    expect(stored).toEqual({
      people: ROWS,
      distinctIds: ROWS,
      idLocks: ROWS,
      households,
      householdCodes: households,
      activeRuns: 0,
      drift: 0,
      recountPeople: ROWS,
      recountHouseholds: households,
    });
  }, 420_000);
});
