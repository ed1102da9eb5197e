import { boundRoutes, routeTable } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { runIsolationSuite } from './harness';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
});
afterAll(() => stack.close());

const callers = ['qingshi.admin', 'qingshi.station1', 'qingshi.grid1', 'qingshi.mediator', 'qingshi.auditor', 'qingshi.judge'];

describe('tenant isolation over the whole route table', () => {
  it('gives town A no data, key or status that belongs to town B, through any route', async () => {
    const { findings, requests } = await runIsolationSuite(stack, routeTable, {
      townA: 'qingshi',
      townB: 'taoyuan',
      callersA: callers,
      callerB: 'taoyuan.admin',
      county: 'county.admin',
    });
    expect(findings).toEqual([]);
    // Every route of the table was exercised.
    for (const r of routeTable) expect(requests.get(r.id), r.id).toBeGreaterThan(0);
  });

  it('refuses every town route to the users of a suspended town, and lets them back in on resume', async () => {
    const county = await stack.token('county.admin');
    expect((await stack.call('POST', '/admin/towns/baisha/suspend', { token: county })).status).toBe(200);
    const townRoutes = routeTable.filter((r) => r.audience === 'town');
    for (const username of ['baisha.admin', 'baisha.grid1', 'baisha.judge']) {
      const token = await stack.token(username);
      for (const r of townRoutes) {
        const res = await stack.call(r.method, r.path.replace(/\{\w+\}/g, 'qs-g1'), { token });
        expect([r.id, res.status]).toEqual([r.id, 403]);
        expect((res.body as { error: { code: string } }).error.code).toBe(
          r.roles.includes(stack.user(username).role) ? 'tenant.suspended' : 'auth.role',
        );
      }
    }
    // Other towns are untouched meanwhile.
    expect((await stack.call('GET', '/town/me', { token: await stack.token('qingshi.grid1') })).status).toBe(200);
    expect((await stack.call('POST', '/admin/towns/baisha/resume', { token: county })).status).toBe(200);
    expect((await stack.call('GET', '/town/me', { token: await stack.token('baisha.grid1') })).status).toBe(200);
  });
});
