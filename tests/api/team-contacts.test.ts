import { scanAll } from '@gridline/data/admin';
import { type CommandObservation, observeCommands } from '@gridline/data';
import { REVEALS_PER_HOUR } from '@gridline/domain';
import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIdNumber } from '../support/ids';
import { startTestStack, type TestStack } from '../support/stack';

/*
 * A team member's personal data and "who to call" (issue 12 items 1 and 6, decisions 74–75): the ID
 * number and phone kept sealed, answered masked, revealed with a reason on the book's allowance, the
 * phone corrected, and the directory of a community read from its coverage item alone.
 */

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  admin = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

const as = (token: string) => ({
  post: async (path: string, body: unknown) => stack.call('POST', path, { token, body }),
  put: async (path: string, body: unknown) => stack.call('PUT', path, { token, body }),
  get: async (path: string) => stack.call('GET', path, { token }),
});
type Member = { coordinatorId: string; stage: string; version: number; idNumberMasked?: string; phoneMasked?: string };
type Contact = { coordinatorId: string; name: string; postIds: string[]; phone?: string };
type Directory = { communityId: string; grids: Array<{ gridId: string; responsible: Contact | null; holders: Contact[] }> };
type Err = { error: { code: string } };

const ID = testIdNumber('330521', '1984-03-17', 271);
const PHONE = '13957001234';
const base = { communityId: 'qingshi-sq', recommendedBy: '居民代表会议', on: '2026-11-01', votes: 40, method: 'votes' };

/** Recommends a person with the given contacts and walks them to appointment on `gridIds`. */
async function appointed(name: string, contacts: Record<string, string>, gridIds: string[], postIds: string[]): Promise<Member> {
  const api = as(admin);
  const created = await api.post('/town/team', { ...base, name, ...contacts });
  expect(created.status).toBe(201);
  const id = (created.body as Member).coordinatorId;
  await api.post(`/town/team/${id}/override`, { step: 'inspect', reason: '县里统一考察' });
  await api.post(`/town/team/${id}/override`, { step: 'train', reason: '县里统一培训' });
  const done = await api.post(`/town/team/${id}/appoint`, { on: '2026-12-01', gridIds, postIds, documentNo: `D-${name}` });
  expect(done.status).toBe(200);
  return done.body as Member;
}

/** Every stored item of the table, as text. */
const storedText = async () => JSON.stringify(await scanAll());

describe("a team member's ID number and phone (issue 12 item 1)", () => {
  it('keeps them sealed at rest and answers them masked, everywhere', async () => {
    const api = as(admin);
    const created = await api.post('/town/team', { ...base, name: '陶红梅', idNumber: ID, phone: '139-5700-1234' });
    expect(created.status).toBe(201);
    const m = created.body as Member & Record<string, unknown>;
    expect(m.idNumberMasked).toBe(`${ID.slice(0, 4)}**********${ID.slice(-4)}`);
    expect(m.phoneMasked).toBe('139****1234');
    for (const key of ['idNumber', 'phone', 'idNumberSealed', 'phoneSealed']) expect(m).not.toHaveProperty(key);

    const detail = (await api.get(`/town/team/${m.coordinatorId}`)).body as { coordinator: Record<string, unknown>; history: unknown[] };
    expect(detail.coordinator).toMatchObject({ idNumberMasked: m.idNumberMasked, phoneMasked: '139****1234' });
    expect(detail.coordinator).not.toHaveProperty('idNumberSealed');
    expect(JSON.stringify(detail)).not.toContain(PHONE);
    expect(JSON.stringify(detail)).not.toContain(ID);

    // The raw items (the record, its history, the audit, idempotency copies): no plain value anywhere.
    const raw = await storedText();
    expect(raw).not.toContain(ID);
    expect(raw).not.toContain(PHONE);
    expect(raw).not.toContain('139-5700-1234');
    const item = (await scanAll()).find((i) => i.type === 'TeamMember' && i.coordinatorId === m.coordinatorId);
    expect(String(item?.idNumberSealed)).toMatch(/^v1\./);
    expect(String(item?.phoneSealed)).toMatch(/^v1\./);
  });

  it('checks them with the book’s rules', async () => {
    const api = as(admin);
    const badDigit = `${ID.slice(0, 17)}${ID[17] === '0' ? '1' : '0'}`;
    const wrong = await api.post('/town/team', { ...base, name: '甲', idNumber: badDigit });
    expect([wrong.status, (wrong.body as Err).error.code]).toEqual([400, 'id.check_digit']);
    const phone = await api.post('/town/team', { ...base, name: '乙', phone: '12345' });
    expect(phone.status).toBe(400);
    expect((phone.body as Err).error.code).toMatch(/^phone\./);
    // Both optional: a recommendation without them is recorded with neither mask.
    const none = (await api.post('/town/team', { ...base, name: '丙' })).body as Member;
    expect(none.idNumberMasked).toBeUndefined();
    expect(none.phoneMasked).toBeUndefined();
  });

  it('reveals one in full with a reason, audited, for the roles that reveal in the book and read the team', async () => {
    const api = as(admin);
    const m = (await api.post('/town/team', { ...base, name: '揭晓', idNumber: ID, phone: PHONE })).body as Member;
    const path = `/town/team/${m.coordinatorId}/reveal`;
    expect((await api.post(path, { field: 'idNumber' })).status).toBe(400);
    expect((await api.post(path, { field: 'idNumber', reason: '短' })).status).toBe(400);
    const shown = await api.post(path, { field: 'idNumber', reason: '核对身份信息' });
    expect(shown.body).toEqual({ field: 'idNumber', value: ID });
    expect((await api.post(path, { field: 'phone', reason: '联系本人核实' })).body).toEqual({ field: 'phone', value: PHONE });
    const audits = (await scanAll()).filter((i) => i.action === 'team.reveal' && i.target === m.coordinatorId);
    expect(audits.map((a) => a.details)).toEqual(
      expect.arrayContaining([
        { field: 'idNumber', reason: '核对身份信息' },
        { field: 'phone', reason: '联系本人核实' },
      ]),
    );
    expect(audits.every((a) => a.actor === 'qingshi.admin')).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(ID);

    // Community staff reveal too; a grid coordinator or an auditor does not.
    expect((await as(await stack.token('qingshi.station1')).post(path, { field: 'phone', reason: '联系本人核实' })).status).toBe(200);
    expect((await as(await stack.token('qingshi.grid1')).post(path, { field: 'phone', reason: '联系本人核实' })).status).toBe(403);
    expect((await as(await stack.token('qingshi.auditor')).post(path, { field: 'phone', reason: '联系本人核实' })).status).toBe(403);

    // A field never recorded: 404.
    const none = (await api.post('/town/team', { ...base, name: '无号' })).body as Member;
    const missing = await api.post(`/town/team/${none.coordinatorId}/reveal`, { field: 'phone', reason: '联系本人核实' });
    expect([missing.status, (missing.body as Err).error.code]).toEqual([404, 'team.no_phone']);
  });

  it("is limited per user and hour on the book's allowance", async () => {
    const other = as(await stack.token('qingshi.station2'));
    const m = (await as(admin).post('/town/team', { ...base, name: '限次', phone: PHONE })).body as Member;
    const statuses: number[] = [];
    for (let i = 0; i <= REVEALS_PER_HOUR; i++)
      statuses.push((await other.post(`/town/team/${m.coordinatorId}/reveal`, { field: 'phone', reason: `第${i}次核实电话` })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(REVEALS_PER_HOUR);
    expect(statuses.at(-1)).toBe(429);
    const refused = await other.post(`/town/team/${m.coordinatorId}/reveal`, { field: 'phone', reason: '再看一次电话' });
    expect((refused.body as Err).error.code).toBe('reveal.rate_limited');
    // Only the allowed reveals were audited.
    const audits = (await scanAll()).filter((i) => i.action === 'team.reveal' && i.actor === 'qingshi.station2');
    expect(audits).toHaveLength(REVEALS_PER_HOUR);
  });

  it('corrects a phone at the version read, in the history and the audit', async () => {
    const api = as(admin);
    const m = (await api.post('/town/team', { ...base, name: '改号', phone: PHONE })).body as Member;
    const path = `/town/team/${m.coordinatorId}/phone`;
    expect((await api.put(path, { phone: '13957009999', version: m.version + 1 })).status).toBe(409);
    expect((await api.put(path, { phone: 'abc', version: m.version })).status).toBe(400);
    expect((await as(await stack.token('qingshi.station1')).put(path, { phone: '13957009999', version: m.version })).status).toBe(403);
    const changed = await api.put(path, { phone: '0572-88001234', version: m.version });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ phoneMasked: '0572-****1234', version: m.version + 1 });
    const detail = (await api.get(`/town/team/${m.coordinatorId}`)).body as { history: Array<{ kind: string }> };
    expect(detail.history.map((e) => e.kind)).toEqual(['recommended', 'phone_changed']);
    expect((await api.post(`/town/team/${m.coordinatorId}/reveal`, { field: 'phone', reason: '核对新号码' })).body).toMatchObject({
      value: '0572-88001234',
    });
    const audits = (await scanAll()).filter((i) => i.action === 'team.phone' && i.target === m.coordinatorId);
    expect(audits).toHaveLength(1);
    expect(await storedText()).not.toContain('88001234');
  });
});

describe('who to call (issue 12 item 6)', () => {
  it("lists each grid's responsible coordinator and post holders with their phones, kept in line by every step", async () => {
    const api = as(admin);
    const a = await appointed('韩立', { phone: '13957005555', idNumber: ID }, ['qs-g1', 'qs-g2'], ['mediator']);
    const b = await appointed('曹雪', { phone: '13957006666' }, ['qs-g2'], ['sanitation', 'legal_publicity']);
    expect((await api.put('/town/grids/qs-g2/responsible', { coordinatorId: a.coordinatorId })).status).toBe(200);

    const read = async (token = admin) => (await as(token).get('/town/communities/qingshi-sq/contacts')).body as Directory;
    const dir = await read();
    expect(dir.communityId).toBe('qingshi-sq');
    const g2 = dir.grids.find((g) => g.gridId === 'qs-g2');
    expect(g2?.responsible).toEqual({ coordinatorId: a.coordinatorId, name: '韩立', postIds: ['mediator'], phone: '13957005555' });
    expect(g2?.holders).toEqual(
      expect.arrayContaining([
        { coordinatorId: a.coordinatorId, name: '韩立', postIds: ['mediator'], phone: '13957005555' },
        { coordinatorId: b.coordinatorId, name: '曹雪', postIds: ['sanitation', 'legal_publicity'], phone: '13957006666' },
      ]),
    );
    expect(dir.grids.find((g) => g.gridId === 'qs-g1')?.holders.map((h) => h.coordinatorId)).toContain(a.coordinatorId);
    // The ID number is never in the directory; the phone is kept sealed in the coverage item.
    expect(JSON.stringify(dir)).not.toContain(ID);
    const coverage = (await scanAll()).find((i) => i.type === 'TeamCoverage' && i.communityId === 'qingshi-sq');
    expect(JSON.stringify(coverage)).not.toContain('13957005555');
    expect(JSON.stringify(coverage)).toContain(
      String((await scanAll()).find((i) => i.coordinatorId === a.coordinatorId && i.type === 'TeamMember')?.phoneSealed),
    );

    // A phone correction reaches the directory; a transfer moves the person; a dismissal takes them off.
    const at = (await api.get(`/town/team/${b.coordinatorId}`)).body as { coordinator: Member };
    await api.put(`/town/team/${b.coordinatorId}/phone`, { phone: '13957007777', version: at.coordinator.version });
    expect((await read()).grids.find((g) => g.gridId === 'qs-g2')?.holders.find((h) => h.coordinatorId === b.coordinatorId)?.phone).toBe(
      '13957007777',
    );
    await api.post(`/town/team/${b.coordinatorId}/transfer`, {
      on: '2026-12-03',
      gridIds: ['qs-g1'],
      postIds: ['sanitation'],
      reason: '工作需要',
    });
    const moved = await read();
    expect(moved.grids.find((g) => g.gridId === 'qs-g2')?.holders.map((h) => h.coordinatorId)).not.toContain(b.coordinatorId);
    expect(moved.grids.find((g) => g.gridId === 'qs-g1')?.holders.find((h) => h.coordinatorId === b.coordinatorId)?.phone).toBe(
      '13957007777',
    );
    await api.post(`/town/team/${b.coordinatorId}/dismiss`, { on: '2026-12-05', reason: '考核不合格' });
    expect(JSON.stringify(await read())).not.toContain(b.coordinatorId);

    // Every role of the town reads it, a grid coordinator included, with the phones.
    for (const user of ['qingshi.grid1', 'qingshi.mediator', 'qingshi.auditor', 'qingshi.station1']) {
      const seen = await read(await stack.token(user));
      expect(seen.grids.find((g) => g.gridId === 'qs-g2')?.responsible?.phone).toBe('13957005555');
    }
  });

  it('is one read of the coverage item, and writes nothing', async () => {
    const token = await stack.token('qingshi.grid1');
    await as(token).get('/town/communities/qingshi-sq/contacts');
    const seen: CommandObservation[] = [];
    const stop = observeCommands((o) => seen.push(o));
    const res = await as(token).get('/town/communities/qingshi-sq/contacts');
    stop();
    expect(res.status).toBe(200);
    const team = seen.filter((o) => o.partitionKeys.some((k) => k.startsWith('T#qingshi#') && !k.endsWith('#META')));
    expect(team.map((o) => [o.operation, o.partitionKeys])).toEqual([['GetItem', ['T#qingshi#TEAMCOV']]]);
    expect(seen.filter((o) => !['GetItem', 'Query', 'BatchGetItem'].includes(o.operation))).toEqual([]);
  });

  it('shows another town nothing of this one', async () => {
    const other = as(await stack.token('taoyuan.admin'));
    const res = await other.get('/town/communities/qingshi-sq/contacts');
    expect([res.status, (res.body as Err).error.code]).toEqual([404, 'team.no_contacts']);
    expect(JSON.stringify(res.body)).not.toContain('qingshi');
    // Nor reveals or corrects a member of this town.
    const m = (await as(admin).post('/town/team', { ...base, name: '外镇', phone: PHONE })).body as Member;
    expect((await other.post(`/town/team/${m.coordinatorId}/reveal`, { field: 'phone', reason: '跨镇查看' })).status).toBe(404);
    expect((await other.put(`/town/team/${m.coordinatorId}/phone`, { phone: '13957008888', version: m.version })).status).toBe(404);
    // Nor does a caller without a town token read it.
    expect((await stack.call('GET', '/town/communities/qingshi-sq/contacts')).status).toBe(401);
  });
});
