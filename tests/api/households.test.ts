import { commitChange, townKeys } from '@gridline/data';
import { recountTown } from '@gridline/data/recount';
import { scanAll } from '@gridline/data/admin';
import { runJob } from '@gridline/functions/jobs';
import { describe, expect, it } from 'vitest';
import { apiStack, type Json } from '../support/api';
import { testIdNumber } from '../support/ids';

/**
 * Households after they are made: correcting the address (members follow a new courtyard), closing
 * one nobody lives in any more, a floating person's landlord household, and the counters through it all.
 */

const { call } = apiStack(['qingshi.admin', 'qingshi.grid1', 'qingshi.station1', 'qingshi.auditor', 'qingshi.mediator']);
const k = townKeys('qingshi');
let idSeq = 101;
/** A new man's ID number each time (odd sequence numbers are men's). */
const nextId = () => {
  idSeq += 2;
  return testIdNumber('330523', '1972-03-09', idSeq);
};
const person = (over: Record<string, unknown> = {}) => ({
  name: '陈立',
  gender: 'male',
  idNumber: nextId(),
  relation: '户主',
  residenceType: 'registered',
  tags: [],
  keyTags: [],
  ...over,
});

async function newHousehold(gridId: string, extra: Record<string, unknown> = {}) {
  const r = await call('qingshi.admin', 'POST', `/town/grids/${gridId}/households`, { door: '1单元101室', ...extra });
  expect(r.status, r.text).toBe(201);
  return r.json as { householdId: string; version: number; gridId: string };
}
async function addMember(gridId: string, householdId: string, over: Record<string, unknown> = {}) {
  const r = await call('qingshi.admin', 'POST', `/town/grids/${gridId}/households/${householdId}/people`, person(over));
  expect(r.status, r.text).toBe(201);
  return r.json as { personId: string; version: number };
}
const counter = async (sk: string) =>
  ((await scanAll()).find((i) => i.pk === 'T#qingshi#COUNT' && i.sk === sk) ?? {}) as Record<string, number>;
const hhPath = (gridId: string, householdId: string) => `/town/grids/${gridId}/households/${householdId}`;

describe('correcting a household', () => {
  it('moves the household and its active members to another courtyard, with their counters, in one change', async () => {
    const h = await newHousehold('qs-g1', { courtyardId: 'qs-g1-y1', code: 'QS-EDIT-1' });
    const head = await addMember('qs-g1', h.householdId, { tags: ['elderly_alone'] });
    await addMember('qs-g1', h.householdId, {
      name: '陈小雨',
      gender: 'female',
      idNumber: testIdNumber('330523', '2001-07-01', 22),
      relation: '女',
    });
    const gone = await addMember('qs-g1', h.householdId, {
      name: '陈老汉',
      idNumber: testIdNumber('330523', '1940-01-01', 31),
      relation: '父',
    });
    const closed = await call('qingshi.admin', 'POST', `${hhPath('qs-g1', h.householdId)}/people/${gone.personId}/close`, {
      version: 1,
      reason: 'died',
      on: '2026-10-01',
    });
    expect(closed.status, closed.text).toBe(200);
    const [y1, y2, grid, town] = [
      await counter('YARD#qs-g1-y1'),
      await counter('YARD#qs-g1-y2'),
      await counter('GRID#qs-g1'),
      await counter('TOWN'),
    ];

    const r = await call('qingshi.grid1', 'PATCH', hhPath('qs-g1', h.householdId), {
      version: 1,
      courtyardId: 'qs-g1-y2',
      door: '7单元701室',
      code: 'QS-EDIT-1B',
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      courtyardId: 'qs-g1-y2',
      door: '7单元701室',
      code: 'QS-EDIT-1B',
      version: 2,
      members: 2,
      status: 'active',
    });
    expect(r.headers.get('cache-control')).toBe('no-store');

    // The household counts moved from one courtyard to the other; the people with it; town and grid did not change.
    const [y1After, y2After] = [await counter('YARD#qs-g1-y1'), await counter('YARD#qs-g1-y2')];
    expect([y1After.households, y1After.people, y1After.tag_elderly_alone]).toEqual([
      (y1.households ?? 0) - 1,
      (y1.people ?? 0) - 2,
      (y1.tag_elderly_alone ?? 0) - 1,
    ]);
    expect([y2After.households, y2After.people, y2After.tag_elderly_alone]).toEqual([
      (y2.households ?? 0) + 1,
      (y2.people ?? 0) + 2,
      (y2.tag_elderly_alone ?? 0) + 1,
    ]);
    expect((await counter('GRID#qs-g1')).people).toBe(grid.people);
    expect((await counter('TOWN')).households).toBe(town.households);

    // Active members now live in the new courtyard, with the change in their history; the closed record keeps its place.
    const card = await call('qingshi.admin', 'GET', hhPath('qs-g1', h.householdId));
    const members = card.json.members as Json[];
    expect(members.filter((m) => m.status === 'active').map((m) => m.courtyardId)).toEqual(['qs-g1-y2', 'qs-g1-y2']);
    expect(members.find((m) => m.personId === gone.personId)).toMatchObject({ courtyardId: 'qs-g1-y1', status: 'closed' });
    const detail = await call('qingshi.admin', 'GET', `${hhPath('qs-g1', h.householdId)}/people/${head.personId}`);
    expect(detail.json.person).toMatchObject({ courtyardId: 'qs-g1-y2', version: 2 });
    expect((detail.json.events as Json[]).at(-1)).toMatchObject({ kind: 'changed', fields: ['courtyardId'] });

    // Listed under the new courtyard only.
    const inY2 = await call('qingshi.admin', 'GET', '/town/grids/qs-g1/households?courtyardId=qs-g1-y2');
    const inY1 = await call('qingshi.admin', 'GET', '/town/grids/qs-g1/households?courtyardId=qs-g1-y1');
    expect((inY2.json.items as Json[]).map((x) => x.householdId)).toContain(h.householdId);
    expect((inY1.json.items as Json[]).map((x) => x.householdId)).not.toContain(h.householdId);

    // The old number is free again, the new one taken.
    expect((await call('qingshi.admin', 'POST', '/town/grids/qs-g2/households', { door: '1号', code: 'QS-EDIT-1' })).status).toBe(201);
    const taken = await call('qingshi.admin', 'POST', '/town/grids/qs-g2/households', { door: '2号', code: 'QS-EDIT-1B' });
    expect([taken.status, taken.json.error?.code]).toEqual([409, 'household.code_taken']);

    // One audit entry says what changed, without the address itself.
    const audits = (await scanAll()).filter((i) => i.action === 'household.change' && i.target === h.householdId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: 'qingshi.grid1',
      details: { fields: ['courtyardId', 'code', 'door'], courtyard: { from: 'qs-g1-y1', to: 'qs-g1-y2' }, members: 2 },
    });
    expect(JSON.stringify(audits[0])).not.toContain('7单元701室');
  });

  it('refuses a stale version, a number in use and a courtyard of another grid; clears a courtyard', async () => {
    const h = await newHousehold('qs-g1', { courtyardId: 'qs-g1-y3' });
    await addMember('qs-g1', h.householdId);
    const path = hhPath('qs-g1', h.householdId);
    expect((await call('qingshi.admin', 'PATCH', path, { version: 1, door: '3单元303室' })).json.version).toBe(2);
    const stale = await call('qingshi.admin', 'PATCH', path, { version: 1, door: '3单元304室' });
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'conflict.version']);
    await newHousehold('qs-g1', { code: 'QS-TAKEN' });
    const taken = await call('qingshi.admin', 'PATCH', path, { version: 2, code: 'QS-TAKEN' });
    expect([taken.status, taken.json.error?.code, taken.json.error?.field]).toEqual([409, 'household.code_taken', 'body.code']);
    const elsewhere = await call('qingshi.admin', 'PATCH', path, { version: 2, courtyardId: 'qs-g2-y1' });
    expect([elsewhere.status, elsewhere.json.error?.code, elsewhere.json.error?.field]).toEqual([
      400,
      'household.courtyard_elsewhere',
      'body.courtyardId',
    ]);
    const unknown = await call('qingshi.admin', 'PATCH', path, { version: 2, courtyardId: 'no-such-yard' });
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, 'courtyard.not_found']);
    const bad = await call('qingshi.admin', 'PATCH', path, { version: 2, door: '', extra: 1 });
    expect([bad.status, bad.json.error?.code]).toEqual([400, 'request.invalid']);

    const y3 = await counter('YARD#qs-g1-y3');
    const cleared = await call('qingshi.admin', 'PATCH', path, { version: 2, courtyardId: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json).not.toHaveProperty('courtyardId');
    expect((await counter('YARD#qs-g1-y3')).households).toBe((y3.households ?? 0) - 1);
    const card = await call('qingshi.admin', 'GET', path);
    expect((card.json.members as Json[])[0]).not.toHaveProperty('courtyardId');
    // Nothing to change: answered as it is, no new version.
    expect((await call('qingshi.admin', 'PATCH', path, { version: 3, door: '3单元303室' })).json.version).toBe(3);
  });
});

describe('closing a household', () => {
  it('is refused while anyone lives there, then closes it without deleting it', async () => {
    const h = await newHousehold('qs-g2', { courtyardId: 'qs-g2-y1', code: 'QS-CLOSE-1' });
    const other = await newHousehold('qs-g2');
    const a = await addMember('qs-g2', h.householdId);
    const b = await addMember('qs-g2', h.householdId, { name: '陈二', idNumber: testIdNumber('330523', '1999-09-09', 41), relation: '子' });
    const path = hhPath('qs-g2', h.householdId);
    const closing = { version: 1, reason: 'moved_away', on: '2026-11-30', note: '全家迁往杭州' };

    const refused = await call('qingshi.station1', 'POST', `${path}/close`, closing);
    expect([refused.status, refused.json.error?.code]).toEqual([409, 'household.has_members']);
    expect(refused.json.error?.message).toMatch(/2 people still live in this household/);

    // One member leaves the town, the other moves to another household: nobody is left.
    expect(
      (await call('qingshi.admin', 'POST', `${path}/people/${a.personId}/close`, { version: 1, reason: 'moved_away', on: '2026-11-29' }))
        .status,
    ).toBe(200);
    const moved = await call('qingshi.admin', 'POST', `${path}/people/${b.personId}/moves`, {
      version: 1,
      kind: 'to_household',
      on: '2026-11-29',
      toGridId: 'qs-g2',
      toHouseholdId: other.householdId,
    });
    expect(moved.status, moved.text).toBe(200);

    const [town, grid, yard] = [await counter('TOWN'), await counter('GRID#qs-g2'), await counter('YARD#qs-g2-y1')];
    const done = await call('qingshi.station1', 'POST', `${path}/close`, closing);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({
      status: 'closed',
      closedReason: 'moved_away',
      closedOn: '2026-11-30',
      closedNote: '全家迁往杭州',
      version: 2,
      members: 0,
    });
    expect((await counter('TOWN')).households).toBe((town.households ?? 0) - 1);
    expect((await counter('GRID#qs-g2')).households).toBe((grid.households ?? 0) - 1);
    expect((await counter('YARD#qs-g2-y1')).households).toBe((yard.households ?? 0) - 1);

    // Still readable and listed, marked closed; its closed member stays on the card.
    const card = await call('qingshi.admin', 'GET', path);
    expect(card.json.household).toMatchObject({ status: 'closed', closedReason: 'moved_away' });
    expect((card.json.members as Json[]).map((m) => m.status)).toEqual(['closed']);
    const list = await call('qingshi.admin', 'GET', '/town/grids/qs-g2/households?limit=100');
    expect((list.json.items as Json[]).find((x) => x.householdId === h.householdId)).toMatchObject({ status: 'closed' });
    expect((await scanAll()).filter((i) => i.action === 'household.close' && i.target === h.householdId)).toHaveLength(1);

    // A closed household takes no change, no new member, no one moving in, and cannot close twice.
    const again = await call('qingshi.admin', 'POST', `${path}/close`, { ...closing, version: 2 });
    expect([again.status, again.json.error?.code]).toEqual([409, 'household.closed']);
    expect((await call('qingshi.admin', 'PATCH', path, { version: 2, door: '9号' })).json.error?.code).toBe('household.closed');
    const join = await call('qingshi.admin', 'POST', `${path}/people`, person());
    expect([join.status, join.json.error?.code]).toEqual([409, 'household.closed']);
    const back = await call('qingshi.admin', 'POST', `${hhPath('qs-g2', other.householdId)}/people/${b.personId}/moves`, {
      version: 2,
      kind: 'to_household',
      on: '2026-12-01',
      toGridId: 'qs-g2',
      toHouseholdId: h.householdId,
    });
    expect([back.status, back.json.error?.code]).toEqual([409, 'household.closed']);
  });

  it('refuses a stale version and a bad reason', async () => {
    const h = await newHousehold('qs-g3');
    const path = `${hhPath('qs-g3', h.householdId)}/close`;
    const stale = await call('qingshi.admin', 'POST', path, { version: 5, reason: 'dissolved', on: '2026-11-30' });
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'conflict.version']);
    const bad = await call('qingshi.admin', 'POST', path, { version: 1, reason: 'vanished', on: '2026-11-30' });
    expect([bad.status, bad.json.error?.code, bad.json.error?.field]).toEqual([400, 'request.invalid', 'body.reason']);
    expect((await call('qingshi.admin', 'POST', path, { version: 1, reason: 'dissolved', on: '2026-11-30' })).status).toBe(200);
  });

  it('fails a member joining a household that closed or changed after it was read', async () => {
    const h = await newHousehold('qs-g3', { courtyardId: 'qs-g3-y1' });
    const key = k.household('qs-g3', h.householdId);
    const join = (expect: Record<string, unknown>, code: string) =>
      commitChange({ writes: [], audit: [], counters: [{ key, deltas: { members: 1 }, onlyIf: { expect, code, message: code } }] });
    // At the version read: fine. At an older one (the household changed meanwhile): refused.
    await join({ status: 'active', version: 1 }, 'household.changed');
    await expect(join({ status: 'active', version: 0 }, 'household.changed')).rejects.toMatchObject({
      code: 'household.changed',
      status: 409,
    });
    // Closing needs nobody there at commit, whatever was read before.
    const raced = commitChange({
      writes: [{ kind: 'update', key, set: { status: 'closed' }, version: 1, expect: { members: 0 } }],
      audit: [],
    });
    await expect(raced).rejects.toMatchObject({ code: 'conflict.version', status: 409 });
    await commitChange({ writes: [], audit: [], counters: [{ key, deltas: { members: -1 } }] });
  });
});

describe('a closed household and the importer', () => {
  it('keeps its number: the preview refuses rows naming it, with the reason, and nothing is added', async () => {
    const h = await newHousehold('qs-g3', { code: 'QS-IMP-SHUT', door: '12号' });
    const shut = await call('qingshi.admin', 'POST', `${hhPath('qs-g3', h.householdId)}/close`, {
      version: 1,
      reason: 'merged',
      on: '2026-11-02',
    });
    expect(shut.status, shut.text).toBe(200);
    const id = testIdNumber('330523', '1985-05-05', 95);
    const csv = [
      '序号,户编号,姓名,性别,民族,出生日期,公民身份号码,联系电话,所属社区,所属网格,院落楼栋,门牌号,与户主关系,人口类型,特殊人群类别,流入时间,备注',
      `1,QS-IMP-SHUT,冯一,男,汉族,1985-05-05,${id},,青石社区,第三网格,,12号,户主,户籍人口,,,`,
    ].join('\r\n');
    const preview = await call('qingshi.admin', 'POST', '/town/imports', {
      fileName: 'closed.csv',
      contentBase64: Buffer.from(csv, 'utf8').toString('base64'),
    });
    expect(preview.status, preview.text).toBe(201);
    expect(preview.json.stats).toMatchObject({ create: 0, rejected: 1 });
    expect(preview.json.issues).toEqual([expect.objectContaining({ row: 1, field: 'householdNo', code: 'import.household_closed' })]);
    const importId = String(preview.json.importId);
    expect((await call('qingshi.admin', 'POST', `/town/imports/${importId}/commit`)).status).toBe(202);
    let status: Json = {};
    for (let i = 0; i < 300 && status.status !== 'done' && status.status !== 'failed'; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      status = (await call('qingshi.admin', 'GET', `/town/imports/${importId}`)).json;
    }
    expect(status).toMatchObject({ status: 'done', progress: { created: 0, failed: 0 } });
    const card = await call('qingshi.admin', 'GET', hhPath('qs-g3', h.householdId));
    expect(card.json).toMatchObject({ household: { status: 'closed', members: 0 }, members: [] });
  });
});

describe('scope of household changes', () => {
  it('confines coordinators to their grids and community staff to their community', async () => {
    const g2 = await newHousehold('qs-g2');
    const lh = await newHousehold('lh-g1');
    const refuse = async (who: string, path: string, body: unknown, method = 'PATCH') => {
      const r = await call(who, method, path, body);
      return [r.status, r.json.error?.code];
    };
    expect(await refuse('qingshi.grid1', hhPath('qs-g2', g2.householdId), { version: 1, door: 'x号' })).toEqual([403, 'scope.grid']);
    expect(
      await refuse('qingshi.grid1', `${hhPath('qs-g2', g2.householdId)}/close`, { version: 1, reason: 'other', on: '2026-11-30' }, 'POST'),
    ).toEqual([403, 'scope.grid']);
    expect(await refuse('qingshi.station1', hhPath('lh-g1', lh.householdId), { version: 1, door: 'x号' })).toEqual([403, 'scope.grid']);
    expect(
      await refuse(
        'qingshi.station1',
        `${hhPath('lh-g1', lh.householdId)}/close`,
        { version: 1, reason: 'other', on: '2026-11-30' },
        'POST',
      ),
    ).toEqual([403, 'scope.grid']);
    expect(await refuse('qingshi.auditor', hhPath('qs-g2', g2.householdId), { version: 1, door: 'x号' })).toEqual([403, 'auth.role']);
    expect(await refuse('qingshi.mediator', hhPath('qs-g2', g2.householdId), { version: 1, door: 'x号' })).toEqual([403, 'auth.role']);
    // Nothing changed by the refusals; the station may change its own community's household.
    const ok = await call('qingshi.station1', 'PATCH', hhPath('qs-g2', g2.householdId), { version: 1, door: '5单元505室' });
    expect([ok.status, ok.json.door]).toEqual([200, '5单元505室']);
  });
});

describe("a floating person's landlord household", () => {
  it('is checked when set: a household of a reachable grid, still active, named with its grid', async () => {
    const landlord = await newHousehold('qs-g1', { courtyardId: 'qs-g1-y4' });
    const home = await newHousehold('qs-g1');
    const floating = (over: Record<string, unknown>) => ({ arrivalDate: '2025-02-01', origin: '江西上饶', ...over });
    const add = (who: string, over: Record<string, unknown>) =>
      call(
        who,
        'POST',
        `${hhPath('qs-g1', home.householdId)}/people`,
        person({ residenceType: 'floating', relation: '租户', floating: floating(over) }),
      );

    const noGrid = await add('qingshi.admin', { landlordHouseholdId: landlord.householdId });
    expect([noGrid.status, noGrid.json.error?.field]).toEqual([400, 'body.floating.landlordHouseholdId']);
    const missing = await add('qingshi.admin', { landlordHouseholdId: 'h-nope', landlordGridId: 'qs-g1' });
    expect([missing.status, missing.json.error?.code, missing.json.error?.field]).toEqual([
      404,
      'household.not_found',
      'body.floating.landlordHouseholdId',
    ]);
    const far = await newHousehold('qs-g2');
    const outOfScope = await add('qingshi.grid1', { landlordHouseholdId: far.householdId, landlordGridId: 'qs-g2' });
    expect([outOfScope.status, outOfScope.json.error?.code]).toEqual([403, 'scope.grid']);

    const ok = await add('qingshi.grid1', { landlordHouseholdId: landlord.householdId, landlordGridId: 'qs-g1' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.floating).toMatchObject({ landlordHouseholdId: landlord.householdId, landlordGridId: 'qs-g1' });

    // A closed household cannot become anyone's landlord; one already named stays through other changes.
    const shut = await newHousehold('qs-g1');
    expect(
      (
        await call('qingshi.admin', 'POST', `${hhPath('qs-g1', shut.householdId)}/close`, {
          version: 1,
          reason: 'dissolved',
          on: '2026-11-01',
        })
      ).status,
    ).toBe(200);
    const personPath = `${hhPath('qs-g1', home.householdId)}/people/${String(ok.json.personId)}`;
    const toClosed = await call('qingshi.grid1', 'PATCH', personPath, {
      version: 1,
      floating: floating({ landlordHouseholdId: shut.householdId, landlordGridId: 'qs-g1' }),
    });
    expect([toClosed.status, toClosed.json.error?.code]).toEqual([409, 'household.closed']);
    const renamed = await call('qingshi.grid1', 'PATCH', personPath, {
      version: 1,
      name: '陈立新',
      floating: floating({ landlordHouseholdId: landlord.householdId, landlordGridId: 'qs-g1' }),
    });
    expect(renamed.status, renamed.text).toBe(200);
    const cleared = await call('qingshi.grid1', 'PATCH', personPath, { version: 2, floating: floating({}) });
    expect(cleared.json.floating).toEqual({ arrivalDate: '2025-02-01', origin: '江西上饶' });
  });
});

describe('counters after all of the above', () => {
  it('equal a recount of the records', async () => {
    const { drift, households } = await recountTown('qingshi');
    expect(drift).toEqual([]);
    expect(households).toBeGreaterThan(10);
    const items = await scanAll();
    const open = items.filter((i) => i.type === 'Household' && String(i.pk).startsWith('T#qingshi#') && i.status !== 'closed');
    expect((await counter('TOWN')).households).toBe(open.length);
    const report = (await runJob({ job: 'reconcile', town: 'qingshi' })) as Array<{ drift: number }>;
    expect(report[0]?.drift).toBe(0);
  });
});
