import { scanAll } from '@gridline/data/admin';
import { runInScope, townPrefix } from '@gridline/data';
import { jobRunsOf } from '@gridline/data/job-runs';
import { recountTown } from '@gridline/data/recount';
import { type ImportRecord, importsOf } from '@gridline/data/imports';
import { boundRoutes } from '@gridline/functions';
import { runJob } from '@gridline/functions/jobs';
import { demoBookFile } from '@gridline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

// Short leases so stopped runs expire within the test; a pace slow enough that a run can be stopped midway.
process.env.GRIDLINE_JOB_LEASE_SECONDS = '3';
process.env.GRIDLINE_JOB_MAX_ATTEMPTS = '2';
process.env.GRIDLINE_IMPORT_WCU_PER_SECOND = '400';
const LEASE_MS = 3000;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
});
afterAll(() => stack.close());

const admin = (townId: string) => ({
  kind: 'town' as const,
  townId,
  userId: `${townId}.admin`,
  username: `${townId}.admin`,
  role: 'town_admin' as const,
  scope: { communities: [], grids: [] },
});
const inTown = <T>(townId: string, fn: () => Promise<T>) =>
  runInScope({ requestId: `test-${townId}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, fn);
const wait = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

async function preview(townId: string, people: number) {
  const file = demoBookFile(townId, { today: '2026-12-04', people });
  const r = await stack.call('POST', '/town/imports', {
    token: await stack.token(`${townId}.admin`),
    body: { fileName: file.fileName, contentBase64: Buffer.from(file.bytes).toString('base64') },
  });
  expect(r.status, r.text).toBe(201);
  const v = r.body as ImportRecord;
  expect(v.stats).toMatchObject({ rows: people, accepted: people, rejected: 0 });
  return v.importId;
}
const record = (townId: string, importId: string) => inTown(townId, () => importsOf(admin(townId)).status(importId));

/** What the book holds for a town, counted from the table itself (a test may scan). */
async function stored(townId: string) {
  const mine = (await scanAll()).filter((i) => String(i.pk).startsWith(`T#${townId}#`));
  const people = mine.filter((i) => i.type === 'Person');
  return {
    people: people.length,
    distinctIds: new Set(people.map((p) => p.idHash)).size,
    idLocks: mine.filter((i) => i.type === 'IdLock').length,
    households: mine.filter((i) => i.type === 'Household').length,
    householdCodes: mine.filter((i) => i.type === 'HouseholdCode').length,
    activeRuns: mine.filter((i) => i.type === 'ActiveRun').length,
  };
}

describe('import runs hold a lease and are resumed when they stop', () => {
  it('resumes a run that stopped midway (lease expired) from where it was, exactly once, and fences off the stopped runner', async () => {
    const town = 'taoyuan';
    const importId = await preview(town, 400);
    await inTown(town, () => importsOf(admin(town)).queue(importId, new Date().toISOString()));
    // The first runner freezes for good partway through the people (as a crashed or paused process would).
    let calls = 0;
    let frozen: () => void = () => undefined;
    const froze = new Promise<void>((ok) => (frozen = ok));
    let thaw: () => void = () => undefined;
    // It stops at a pause once its checkpoint shows people written (the tenth batch renews the lease with them).
    const sleep = async (ms: number) => {
      calls += 1;
      if (((await record(town, importId)).progress?.done ?? 0) < 80) return wait(ms);
      frozen();
      return new Promise<void>((ok) => (thaw = ok));
    };
    const first = inTown(town, () => importsOf(admin(town)).run(importId, new Date().toISOString(), { owner: 'first', sleep }));
    await Promise.race([
      froze,
      first.then((r) => {
        throw new Error(`the first runner ended (${r.status}) after ${calls} pauses, before it could be stopped`);
      }),
    ]);
    const halfway = await stored(town);
    expect(halfway.people).toBeGreaterThan(0);
    expect(halfway.people).toBeLessThan(400);
    expect(await record(town, importId)).toMatchObject({ status: 'running', leaseOwner: 'first', attempts: 1 });

    // While the lease is live the sweeper leaves the run alone.
    const restarted: unknown[] = [];
    const capture = async (job: unknown) => void restarted.push(job);
    const { runSweep } = await import('../../functions/src/jobs/sweep');
    expect((await runSweep(new Date().toISOString(), town, capture)).started).toEqual([]);
    await wait(LEASE_MS + 200);
    const sweep = await runSweep(new Date().toISOString(), town, capture);
    expect(sweep.started).toEqual([{ town, kind: 'import', runId: importId, why: 'take' }]);
    expect(restarted).toEqual([{ job: 'import', town, importId }]);

    // The job the sweeper started takes over; a runner arriving meanwhile (Lambda's own retry) does nothing.
    const second = runJob({ job: 'import', town, importId });
    for (let i = 0; i < 200; i++) {
      const r = await record(town, importId);
      if (r.leaseOwner !== 'first' && (r.progress?.total ?? 0) > 0) break;
      await wait(25);
    }
    const meanwhile = await inTown(town, () => importsOf(admin(town)).run(importId, new Date().toISOString(), { owner: 'late-retry' }));
    expect(meanwhile.leaseOwner).not.toBe('late-retry');
    expect(meanwhile.attempts).toBe(2);
    await second;

    const done = await record(town, importId);
    expect(done).toMatchObject({
      status: 'done',
      attempts: 2,
      progress: { total: 400, done: 400, created: 400, updated: 0, unchanged: 0, failed: 0 },
    });
    // The stopped runner wakes up: its next renewal finds the lease gone and it stops without harm.
    thaw();
    await first;
    expect(await record(town, importId)).toMatchObject({ status: 'done', progress: { created: 400, failed: 0 } });
    const after = await stored(town);
    expect(after).toMatchObject({ people: 400, distinctIds: 400, idLocks: 400, activeRuns: 0 });
    expect(after.householdCodes).toBe(after.households);
    const recount = await inTown(town, () => recountTown(town));
    expect(recount).toMatchObject({ drift: [], people: 400, households: after.households });
    // Nothing left for the sweeper.
    expect((await runSweep(new Date().toISOString(), town, capture)).started).toEqual([]);
  });

  it('fails a run that stopped on every attempt, with the reason and what was done; a person resumes it and it finishes exactly', async () => {
    const town = 'baisha';
    const token = await stack.token(`${town}.admin`);
    const importId = await preview(town, 60);
    const committed = await stack.call('POST', `/town/imports/${importId}/commit`, { token });
    expect(committed.status).toBe(202);
    // Let the commit's own run finish, then pretend the next two runners took the lease and died at once.
    for (let i = 0; i < 200 && (await record(town, importId)).status !== 'done'; i++) await wait(25);
    expect((await record(town, importId)).status).toBe('done');

    const other = await preview(town, 120);
    await inTown(town, async () => {
      await importsOf(admin(town)).queue(other, new Date().toISOString());
      const runs = jobRunsOf(town);
      const ref = { kind: 'import', runId: other, key: { pk: `T#${town}#IMPORT`, sk: other } };
      const policy = { leaseMs: 300, maxAttempts: 2 };
      expect('lease' in (await runs.acquire(ref, 'dead-1', Date.now(), policy))).toBe(true);
      // A second runner cannot take a live lease.
      expect(await runs.acquire(ref, 'dead-2', Date.now(), policy)).toMatchObject({ decision: 'busy' });
      await wait(350);
      expect('lease' in (await runs.acquire(ref, 'dead-2', Date.now(), policy))).toBe(true);
    });
    await wait(LEASE_MS + 200);
    const { runSweep } = await import('../../functions/src/jobs/sweep');
    const started: Array<{ job: string; town: string; importId: string }> = [];
    const sweep = await runSweep(new Date().toISOString(), town, async (job) => void started.push(job as never));
    expect(sweep.started).toEqual([{ town, kind: 'import', runId: other, why: 'exhausted' }]);
    // The job started for it finds no attempt left and marks it failed; nothing was written.
    await runJob({ job: 'import', town, importId: other });
    const failed = await record(town, other);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'import.attempts_exhausted', attempts: 2 });
    expect(failed.error).toContain('2 times');
    expect((await stored(town)).activeRuns).toBe(0);

    // The list shows both, newest first, with who, when, status and counts; paged with a signed cursor.
    const list = await stack.call('GET', '/town/imports', { token, query: { limit: '1' } });
    expect(list.status).toBe(200);
    const page = list.body as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ importId: other, status: 'failed', by: `${town}.admin`, errorCode: 'import.attempts_exhausted' });
    expect(page.items[0]).not.toHaveProperty('issues');
    expect(page.items[0]).not.toHaveProperty('leaseOwner');
    const next = await stack.call('GET', '/town/imports', { token, query: { limit: '1', cursor: page.nextCursor as string } });
    expect((next.body as typeof page).items.map((i) => [i.importId, i.status])).toEqual([[importId, 'done']]);
    expect((next.body as typeof page).items[0]).toMatchObject({ progress: { total: 60, created: 60 }, createdAt: expect.any(String) });

    // Only a failed import resumes; resuming starts it again and it finishes exactly.
    const notFailed = await stack.call('POST', `/town/imports/${importId}/resume`, { token });
    expect([notFailed.status, (notFailed.body as { error: { code: string } }).error.code]).toEqual([409, 'import.not_failed']);
    const resumed = await stack.call('POST', `/town/imports/${other}/resume`, { token });
    expect(resumed.status, resumed.text).toBe(202);
    expect(resumed.body).toMatchObject({ status: 'queued', attempts: 0 });
    for (let i = 0; i < 400 && (await record(town, other)).status !== 'done'; i++) await wait(25);
    expect(await record(town, other)).toMatchObject({
      status: 'done',
      attempts: 1,
      // The first 60 people of the bigger book are the smaller book's: already in the book, unchanged.
      progress: { total: 120, done: 120, created: 60, unchanged: 60, updated: 0, failed: 0 },
    });
    const after = await stored(town);
    expect(after).toMatchObject({ people: 120, distinctIds: 120, idLocks: 120, activeRuns: 0 });
    expect(await inTown(town, () => recountTown(town))).toMatchObject({ drift: [], people: 120 });
  });

  it('abandons a failed or stalled import, never a running one; rows written stay and the sweeper forgets it', async () => {
    const town = 'qingshi';
    const token = await stack.token(`${town}.admin`);
    const importId = await preview(town, 30);
    const ref = { kind: 'import', runId: importId, key: { pk: `T#${town}#IMPORT`, sk: importId } };
    await inTown(town, async () => {
      await importsOf(admin(town)).queue(importId, new Date().toISOString());
      await jobRunsOf(town).acquire(ref, 'busy-runner', Date.now(), { leaseMs: 1500, maxAttempts: 2 });
    });
    const refused = await stack.call('POST', `/town/imports/${importId}/abandon`, { token });
    expect([refused.status, (refused.body as { error: { code: string } }).error.code]).toEqual([409, 'import.running']);
    await wait(1700);
    const abandoned = await stack.call('POST', `/town/imports/${importId}/abandon`, { token });
    expect(abandoned.status, abandoned.text).toBe(200);
    expect(abandoned.body).toMatchObject({ status: 'abandoned', finishedAt: expect.any(String) });
    expect((await stored(town)).activeRuns).toBe(0);
    const { runSweep } = await import('../../functions/src/jobs/sweep');
    expect((await runSweep(new Date().toISOString(), town, async () => undefined)).started).toEqual([]);
    // An abandoned run is over: the runner that held it finds its lease gone, and a new run does nothing.
    expect(await inTown(town, () => importsOf(admin(town)).run(importId, new Date().toISOString()))).toMatchObject({ status: 'abandoned' });
    const again = await stack.call('POST', `/town/imports/${importId}/abandon`, { token });
    expect([again.status, (again.body as { error: { code: string } }).error.code]).toEqual([409, 'import.not_abandonable']);
    const missing = await stack.call('POST', '/town/imports/i-nothing/abandon', { token });
    expect(missing.status).toBe(404);
  });
});
