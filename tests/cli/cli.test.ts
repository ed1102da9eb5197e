import { EXIT, runCli } from '@gridline/cli';
import { commitChange, townKeys } from '@gridline/data';
import { boundRoutes } from '@gridline/functions';
import { DEMO_PASSWORD } from '@gridline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
});
afterAll(() => stack.close());

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env: { GRIDLINE_API_URL: stack.apiUrl, ...env }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('gridline CLI for county IT', () => {
  it('signs in through the local issuer and lists the towns', async () => {
    const r = await cli(['towns', 'list'], { GRIDLINE_USER: 'county.admin', GRIDLINE_PASSWORD: DEMO_PASSWORD });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('qingshi');
    expect(r.out).toContain('桃源街道');
  });

  it('creates a town, shows the one-time password once, and is idempotent', async () => {
    const token = await stack.token('county.admin');
    const args = ['towns', 'create', 'jinshui', '--name', '金水镇', '--admin-username', 'jinshui.admin', '--admin-name', '陈亮'];
    const first = await cli(args, { GRIDLINE_TOKEN: token });
    expect(first.code).toBe(EXIT.ok);
    const password = /one-time password: (\S+)/.exec(first.out)?.[1];
    expect(password).toBeTruthy();
    // The new admin can sign in with it.
    const login = await fetch(`${stack.issuer}/login`, { method: 'POST', body: JSON.stringify({ username: 'jinshui.admin', password }) });
    expect(login.status).toBe(200);
    const again = await cli(args, { GRIDLINE_TOKEN: token });
    expect(again.code).toBe(EXIT.ok);
    expect(again.out).toContain('nothing changed');
    const conflicting = await cli(
      ['towns', 'create', 'jinshui', '--name', '金水乡', '--admin-username', 'jinshui.admin', '--admin-name', '陈亮'],
      {
        GRIDLINE_TOKEN: token,
      },
    );
    expect(conflicting.code).toBe(EXIT.refused);
    expect(conflicting.err).toContain('town.conflict');
  });

  it('suspends and resumes, and shows a town', async () => {
    const env = { GRIDLINE_TOKEN: await stack.token('county.admin') };
    expect((await cli(['towns', 'suspend', 'baisha'], env)).out).toContain('suspended');
    expect((await cli(['towns', 'show', 'baisha', '--json'], env)).out).toContain('"status": "suspended"');
    expect((await cli(['towns', 'resume', 'baisha'], env)).out).toContain('active');
  });

  it('reconciles a town: drift per counter, set right with --fix, with the usual exit codes', async () => {
    const env = { GRIDLINE_TOKEN: await stack.token('county.admin') };
    const clean = await cli(['towns', 'reconcile', 'baisha'], env);
    expect([clean.code, clean.out]).toEqual([EXIT.ok, expect.stringContaining('No drift')]);
    // A lost counter move, as a failed write would leave it.
    await commitChange({ writes: [], audit: [], counters: [{ key: townKeys('baisha').counters('TOWN'), deltas: { staff: 2 } }] });
    const found = await cli(['towns', 'reconcile', 'baisha'], env);
    expect(found.code).toBe(EXIT.ok);
    expect(found.out).toContain('run again with --fix');
    expect(found.out).toMatch(/TOWN\s+staff\s+(\d+)\s+(\d+)/);
    const [, stored, recount] = /TOWN\s+staff\s+(\d+)\s+(\d+)/.exec(found.out) ?? [];
    expect(Number(stored) - Number(recount)).toBe(2);
    const json = await cli(['towns', 'reconcile', 'baisha', '--json'], env);
    expect(JSON.parse(json.out)).toMatchObject({ townId: 'baisha', fixed: false, driftCount: 1, householdsWithDrift: 0 });
    const fixed = await cli(['towns', 'reconcile', 'baisha', '--fix'], env);
    expect([fixed.code, fixed.out]).toEqual([EXIT.ok, expect.stringContaining('now set to the recount')]);
    expect((await cli(['towns', 'reconcile', 'baisha'], env)).out).toContain('No drift');

    expect((await cli(['towns', 'reconcile'], env)).code).toBe(EXIT.usage);
    expect((await cli(['towns', 'reconcile', 'nowhere'], env)).code).toBe(EXIT.refused);
    expect((await cli(['towns', 'reconcile', 'baisha'], { GRIDLINE_TOKEN: await stack.token('baisha.admin') })).code).toBe(EXIT.auth);
    expect((await cli(['towns', 'reconcile', 'baisha', '--api', 'http://127.0.0.1:9/api'], env)).code).toBe(EXIT.unreachable);
  });

  it('exits with distinct codes for usage errors, refusals, auth failures and an unreachable API', async () => {
    const env = { GRIDLINE_TOKEN: await stack.token('county.admin') };
    expect((await cli(['towns', 'fly'], env)).code).toBe(EXIT.usage);
    expect((await cli(['towns', 'create', 'x1x'], env)).code).toBe(EXIT.usage);
    expect((await cli(['towns', 'show', 'nowhere'], env)).code).toBe(EXIT.refused);
    const bad = await cli(['towns', 'show', 'Bad_Id'], env);
    expect(bad.code).toBe(EXIT.refused);
    expect(bad.err).toContain('params.townId');
    expect((await cli(['towns', 'list'])).code).toBe(EXIT.auth);
    expect((await cli(['towns', 'list'], { GRIDLINE_TOKEN: 'forged' })).code).toBe(EXIT.auth);
    expect((await cli(['towns', 'list'], { GRIDLINE_TOKEN: await stack.token('qingshi.admin') })).code).toBe(EXIT.auth);
    const down = await cli(['towns', 'list', '--api', 'http://127.0.0.1:9/api'], env);
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.err).toContain('Cannot reach');
  });

  it('sends one Idempotency-Key per command and reuses it when it retries a 503 or a lost connection', async () => {
    const token = await stack.token('county.admin');
    const seen: Array<string | null> = [];
    let failures = 2;
    // The first two tries fail as an outage would (a dropped connection, then a 503); the third reaches the API.
    const flaky: typeof fetch = async (input, init) => {
      seen.push(new Headers(init?.headers).get('idempotency-key'));
      if (failures === 2) {
        failures--;
        throw new TypeError('fetch failed');
      }
      if (failures === 1) {
        failures--;
        return new Response(JSON.stringify({ error: { code: 'service.unavailable', message: 'x', requestId: 'r' } }), { status: 503 });
      }
      return fetch(input, init);
    };
    const out: string[] = [];
    const code = await runCli(['towns', 'suspend', 'baisha'], {
      env: { GRIDLINE_API_URL: stack.apiUrl, GRIDLINE_TOKEN: token },
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      fetch: flaky,
    });
    expect(code).toBe(EXIT.ok);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(seen).size).toBe(1);
    expect((await cli(['towns', 'resume', 'baisha'], { GRIDLINE_TOKEN: token })).code).toBe(EXIT.ok);
  });
});
