/**
 * Failure as a first-class path (issue 16): what a user sees, and what is stored, when the database
 * stalls, throttles or reports transaction conflicts. The stalls are real: this file runs its own
 * DynamoDB Local and stops it with SIGSTOP (never the shared one), always resuming it in `finally`.
 * Throttling and conflicts are injected through the data package's SDK middleware (`injectFault`),
 * because DynamoDB Local never throttles and never cancels a transaction for a conflict.
 */
import { DYNAMO_BUDGET, injectFault } from '@gridline/data';
import { recountTown } from '@gridline/data/recount';
import { reloadDataAccess, scanAll } from '@gridline/data/admin';
import { boundRoutes } from '@gridline/functions';
import { type RunningDynamo, startDynamo } from '@gridline/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionConflict } from '../support/faults';
import { startTestStack, type TestStack } from '../support/stack';

// This file's own DynamoDB Local, so that stopping it stalls no other test file.
const dynamo: RunningDynamo = await startDynamo();
process.env.GRIDLINE_DYNAMODB_ENDPOINT = dynamo.endpoint;
reloadDataAccess();
const { ensureTable } = await import('@gridline/data/admin');
await ensureTable();

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(async () => {
  dynamo.process.kill('SIGCONT');
  await stack?.close();
  await dynamo.stop();
});

/** The database stopped (SIGSTOP) while `fn` runs, and always resumed afterwards. */
async function whileStopped<T>(fn: () => Promise<T>): Promise<T> {
  dynamo.process.kill('SIGSTOP');
  try {
    return await fn();
  } finally {
    dynamo.process.kill('SIGCONT');
  }
}

async function timed(fn: () => ReturnType<TestStack['call']>) {
  const started = Date.now();
  const res = await fn();
  return { ...res, ms: Date.now() - started };
}

const post = (path: string, body: unknown, key?: string) =>
  stack.call('POST', path, { token: admin, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

/** Items of qingshi of one type whose `field` is `value`: the exact count of what was stored. */
async function stored(type: string, field: string, value: string) {
  return (await scanAll()).filter((i) => String(i.pk).startsWith('T#qingshi#') && i.type === type && i[field] === value);
}
const auditsOf = async (action: string, target: string) =>
  (await scanAll()).filter((i) => i.type === 'Audit' && i.action === action && String(i.target).includes(target));

function expectUnavailable(res: { status: number; body: unknown; headers: Headers; ms: number }) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('2');
  expect(res.body).toEqual({ error: { code: 'service.unavailable', message: expect.any(String), requestId: expect.any(String) } });
  // Inside the budget (two attempts of 1.5 s at most, with backoff), far from API Gateway's 29 s.
  expect(res.ms).toBeLessThan(5_000);
}

describe('with the database stopped', () => {
  it('answers reads 503 within 5 s with Retry-After; liveness stays ok, readiness fails; all is well once it is back', async () => {
    await whileStopped(async () => {
      expectUnavailable(await timed(() => stack.call('GET', '/town/hierarchy', { token: admin })));
      expectUnavailable(await timed(() => stack.call('GET', '/health/ready')));
      const live = await timed(() => stack.call('GET', '/health'));
      expect(live.status).toBe(200);
      expect(live.ms).toBeLessThan(1_000);
    });
    expect((await stack.call('GET', '/town/hierarchy', { token: admin })).status).toBe(200);
    expect(await stack.call('GET', '/health/ready')).toMatchObject({ status: 200, body: { ok: true, database: 'ok' } });
  });

  it('answers a write 503 before anything is stored, and its retry with the same key creates it once', async () => {
    const body = { name: '停库社区', kind: 'community' };
    const stalled = await whileStopped(() => timed(() => post('/town/communities', body, 'stall-before-0001')));
    expectUnavailable(stalled);
    expect(await stored('Community', 'name', '停库社区')).toHaveLength(0);

    const retry = await post('/town/communities', body, 'stall-before-0001');
    expect(retry.status).toBe(201);
    const again = await post('/town/communities', body, 'stall-before-0001');
    expect(again).toMatchObject({ status: 201, body: retry.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await stored('Community', 'name', '停库社区')).toHaveLength(1);
    expect((await recountTown('qingshi')).drift).toEqual([]);
  });

  it('a change that lands after its answer was lost is not applied twice by the retry', async () => {
    // The database stops just as the change's transaction goes on the wire: the client gives up (503),
    // and the stalled transaction commits when the database resumes, as seen in issue 16.
    let armed = true;
    const remove = injectFault((op) => {
      if (op === 'TransactWriteItems' && armed) {
        armed = false;
        dynamo.process.kill('SIGSTOP');
      }
      return undefined;
    });
    const body = { name: '迟到社区', kind: 'community' };
    let lost: Awaited<ReturnType<typeof timed>>;
    try {
      lost = await timed(() => post('/town/communities', body, 'late-commit-0001'));
    } finally {
      remove();
      dynamo.process.kill('SIGCONT');
    }
    expectUnavailable(lost);
    // Once resumed, DynamoDB Local works through what it was sent while stopped.
    await expect.poll(async () => (await stored('Community', 'name', '迟到社区')).length, { timeout: 5_000 }).toBe(1);

    const retry = await post('/town/communities', body, 'late-commit-0001');
    expect(retry.status).toBe(409);
    expect((retry.body as { error: { code: string } }).error.code).toBe('idempotency.applied');
    // Same key, another body: refused, and nothing more is stored.
    const other = await post('/town/communities', { name: '别的社区', kind: 'community' }, 'late-commit-0001');
    expect(other.status).toBe(422);
    expect((other.body as { error: { code: string; field: string } }).error).toMatchObject({
      code: 'idempotency.key_reused',
      field: 'headers.idempotency-key',
    });
    expect(await stored('Community', 'name', '迟到社区')).toHaveLength(1);
    expect(await stored('Community', 'name', '别的社区')).toHaveLength(0);
    const community = (await stored('Community', 'name', '迟到社区'))[0] as { communityId: string };
    expect(await auditsOf('community.create', community.communityId)).toHaveLength(1);
    expect((await recountTown('qingshi')).drift).toEqual([]);
  });
});

describe('a lost answer', () => {
  it('is answered again, unchanged, to a retry with the same key, which writes nothing', async () => {
    const body = { name: '重试社区', kind: 'community' };
    const first = await post('/town/communities', body, 'lost-answer-0001');
    expect(first.status).toBe(201);
    const before = (await scanAll()).length;
    const retry = await post('/town/communities', body, 'lost-answer-0001');
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await scanAll()).length).toBe(before);
    expect(await stored('Community', 'name', '重试社区')).toHaveLength(1);
  });

  it('refuses a malformed key with the stable body, and runs a request without a key as before', async () => {
    const bad = await post('/town/communities', { name: '坏键社区', kind: 'community' }, 'short');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { field: string } }).error.field).toBe('headers.idempotency-key');
    expect((await post('/town/communities', { name: '无键社区', kind: 'community' })).status).toBe(201);
  });
});

describe('throttling, injected', () => {
  const throttled = () =>
    Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });

  it('is retried within the budget, then answered 503; the retry after it passes applies the change once', async () => {
    const calls: string[] = [];
    const remove = injectFault((op) => {
      calls.push(op);
      return throttled();
    });
    const body = { name: '限流社区', kind: 'community' };
    let res: Awaited<ReturnType<typeof timed>>;
    try {
      res = await timed(() => post('/town/communities', body, 'throttled-0001'));
    } finally {
      remove();
    }
    expectUnavailable(res);
    // The first call of the request (the town's status) was tried exactly as often as the budget allows.
    expect(calls).toEqual(Array(DYNAMO_BUDGET.maxAttempts).fill('GetItem'));
    expect(await stored('Community', 'name', '限流社区')).toHaveLength(0);

    expect((await post('/town/communities', body, 'throttled-0001')).status).toBe(201);
    expect(await stored('Community', 'name', '限流社区')).toHaveLength(1);
  });
});

describe('transaction conflicts, injected', () => {
  const conflict = transactionConflict;

  it('are retried with backoff inside the commit: the change lands once, counters without drift', async () => {
    let left = 2;
    let transactions = 0;
    const remove = injectFault((op) => {
      if (op !== 'TransactWriteItems') return undefined;
      transactions++;
      return left-- > 0 ? conflict() : undefined;
    });
    try {
      const res = await post('/town/communities', { name: '冲突社区', kind: 'community' }, 'conflict-0001');
      expect(res.status).toBe(201);
    } finally {
      remove();
    }
    expect(transactions).toBe(3);
    expect(await stored('Community', 'name', '冲突社区')).toHaveLength(1);
    expect((await recountTown('qingshi')).drift).toEqual([]);
  });

  it('that never clear end in 409 conflict.busy, with nothing stored', async () => {
    const remove = injectFault((op) => (op === 'TransactWriteItems' ? conflict() : undefined));
    let res: Awaited<ReturnType<TestStack['call']>>;
    try {
      res = await post('/town/communities', { name: '忙碌社区', kind: 'community' }, 'conflict-0002');
    } finally {
      remove();
    }
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string } }).error.code).toBe('conflict.busy');
    expect(await stored('Community', 'name', '忙碌社区')).toHaveLength(0);
  });
});
