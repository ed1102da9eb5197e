import { commitChange, townKeys } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  for (const u of ['qingshi.admin', 'qingshi.grid1', 'taoyuan.admin', 'county.admin']) tokens[u] = await stack.token(u);
});
afterAll(() => stack.close());

const call = async (who: string, method: string, path: string, body?: unknown) => {
  const r = await stack.call(method, path, { token: tokens[who], ...(body === undefined ? {} : { body }) });
  return { ...r, json: r.body as Json };
};
type Drift = { counter: string; metric: string; stored: number; expected: number };
type Outcome = { townId: string; fixed: boolean; driftCount: number; drift: Drift[]; householdsWithDrift?: number };

/** Moves counters behind the book's back, as a lost write would. */
const tamper = (townId: string, counter: string, deltas: Record<string, number>) =>
  commitChange({ writes: [], audit: [], counters: [{ key: townKeys(townId).counters(counter), deltas }] });

describe('reconcile on demand', () => {
  it('the town admin sees the drift found, then fixes it with an audit entry; other roles are refused', async () => {
    const clean = await call('qingshi.admin', 'POST', '/town/reconcile', {});
    expect(clean.status).toBe(200);
    expect(clean.json).toMatchObject({ townId: 'qingshi', fixed: false, driftCount: 0, drift: [] });

    await tamper('qingshi', 'GRID#qs-g1', { people: 3 });
    const found = await call('qingshi.admin', 'POST', '/town/reconcile', { fix: false });
    expect((found.json as Outcome).drift).toEqual([{ counter: 'GRID#qs-g1', metric: 'people', stored: 3, expected: 0 }]);
    // Only looking changes no counter.
    expect(((await call('qingshi.admin', 'POST', '/town/reconcile', {})).json as Outcome).driftCount).toBe(1);

    const fixed = await call('qingshi.admin', 'POST', '/town/reconcile', { fix: true });
    expect(fixed.json).toMatchObject({ fixed: true, driftCount: 1 });
    expect(((await call('qingshi.admin', 'POST', '/town/reconcile', {})).json as Outcome).driftCount).toBe(0);
    const audit = (await scanAll()).filter((i) => String(i.pk).startsWith('T#qingshi#AUDIT#') && i.action === 'counters.reconciled');
    expect(audit).toEqual([expect.objectContaining({ actor: 'qingshi.admin', target: 'COUNT' })]);

    const coordinator = await call('qingshi.grid1', 'POST', '/town/reconcile', {});
    expect([coordinator.status, coordinator.json.error?.code]).toEqual([403, 'auth.role']);
    expect((await call('county.admin', 'POST', '/town/reconcile', {})).status).toBe(403);
    const badBody = await call('qingshi.admin', 'POST', '/town/reconcile', { fix: 'yes' });
    expect([badBody.status, badBody.json.error?.field]).toEqual([400, 'body.fix']);
  });

  it("county IT reconciles a named town and sees counts per counter, never a household; a town's own drift stays its own", async () => {
    const hh = await call('taoyuan.admin', 'POST', '/town/grids/ty-g1/households', { door: '3单元101室' });
    expect(hh.status).toBe(201);
    const householdId = String(hh.json.householdId);
    await tamper('taoyuan', 'TOWN', { households: -1 });
    await commitChange({
      writes: [],
      audit: [],
      counters: [{ key: townKeys('taoyuan').household('ty-g1', householdId), deltas: { members: 2 } }],
    });

    const seen = await call('county.admin', 'POST', '/admin/towns/taoyuan/reconcile', {});
    expect(seen.status).toBe(200);
    const out = seen.json as Outcome;
    expect(out).toMatchObject({ townId: 'taoyuan', fixed: false, driftCount: 2, householdsWithDrift: 1 });
    expect(out.drift).toEqual([{ counter: 'TOWN', metric: 'households', stored: expect.any(Number), expected: expect.any(Number) }]);
    expect(seen.text).not.toContain(householdId);
    // qingshi was not touched by this.
    expect(((await call('qingshi.admin', 'POST', '/town/reconcile', {})).json as Outcome).driftCount).toBe(0);

    const fixed = await call('county.admin', 'POST', '/admin/towns/taoyuan/reconcile', { fix: true });
    expect(fixed.json).toMatchObject({ fixed: true, driftCount: 2 });
    expect(((await call('taoyuan.admin', 'POST', '/town/reconcile', {})).json as Outcome).driftCount).toBe(0);
    const audit = (await scanAll()).filter((i) => String(i.pk).startsWith('T#taoyuan#AUDIT#') && i.action === 'counters.reconciled');
    expect(audit).toEqual([expect.objectContaining({ actor: 'county.admin' })]);

    const unknown = await call('county.admin', 'POST', '/admin/towns/nowhere/reconcile', {});
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, 'town.not_found']);
    expect((await call('qingshi.admin', 'POST', '/admin/towns/taoyuan/reconcile', {})).status).toBe(403);
  });
});
