import { commitChange, townKeys } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { runJob } from '@gridline/functions/jobs';
import { describe, expect, it } from 'vitest';
import { apiStack, type Json } from '../support/api';
import { testIdNumber } from '../support/ids';

const { call } = apiStack(['qingshi.admin', 'qingshi.grid1', 'qingshi.station1', 'qingshi.auditor', 'qingshi.mediator']);
const person = (over: Record<string, unknown> = {}) => ({
  name: '严晓',
  gender: 'male',
  ethnicity: '汉族',
  idNumber: '330523199512069810',
  phone: '17203898668',
  relation: '户主',
  residenceType: 'registered',
  tags: [],
  keyTags: [],
  ...over,
});

async function newHousehold(gridId: string, who = 'qingshi.admin', extra: Record<string, unknown> = {}) {
  const r = await call(who, 'POST', `/town/grids/${gridId}/households`, { door: '6单元503室', ...extra });
  expect(r.status, r.text).toBe(201);
  return r.json as { householdId: string; version: number };
}

describe('the population book', () => {
  it('stores a person with ID and phone encrypted and shows them masked', async () => {
    const h = await newHousehold('qs-g1', 'qingshi.admin', { courtyardId: 'qs-g1-y1', code: 'H00001' });
    const r = await call('qingshi.admin', 'POST', `/town/grids/qs-g1/households/${h.householdId}/people`, person());
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({
      idMasked: '3305**********9810',
      phoneMasked: '172****8668',
      birthDate: '1995-12-06',
      gender: 'male',
      courtyardId: 'qs-g1-y1',
    });
    expect(r.text).not.toContain('330523199512069810');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const stored = JSON.stringify(await scanAll());
    expect(stored).not.toContain('330523199512069810');
    expect(stored).not.toContain('17203898668');
    const card = await call('qingshi.grid1', 'GET', `/town/grids/qs-g1/households/${h.householdId}`);
    expect(card.json).toMatchObject({ household: { members: 1, code: 'H00001' }, members: [{ name: '严晓' }] });
  });

  it('rejects bad IDs, mismatches, bad phones and duplicates with a clear field error', async () => {
    const h = await newHousehold('qs-g1');
    const path = `/town/grids/qs-g1/households/${h.householdId}/people`;
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ idNumber: '330523199512069811' }, 400, 'id.check_digit', 'body.idNumber'],
      [{ gender: 'female' }, 400, 'person.gender_mismatch', 'body.gender'],
      [{ idNumber: testIdNumber('330523', '1990-01-01', 11), phone: '1234' }, 400, 'phone.mobile', 'body.phone'],
      [{ idNumber: testIdNumber('330523', '1990-01-01', 13), residenceType: 'floating' }, 400, 'person.arrival_required', 'body.floating'],
      [{ idNumber: testIdNumber('330523', '1990-01-01', 15), tags: ['astronaut'] }, 400, 'person.unknown_tag', 'body.tags'],
      [{}, 409, 'person.duplicate_id', 'body.idNumber'],
    ];
    for (const [over, status, code, field] of cases) {
      const r = await call('qingshi.admin', 'POST', path, person(over));
      expect([r.status, r.json.error?.code, r.json.error?.field], JSON.stringify(over)).toEqual([status, code, field]);
    }
    const dup = await call('qingshi.admin', 'POST', path, person());
    expect(dup.json.error?.message).toMatch(/grid qs-g1, household h-/);
    // A full-width ID with a lower-case x is normalised and accepted.
    const fw = testIdNumber('110101', '1988-08-08', 101);
    const wide = fw.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))).toLowerCase();
    const ok = await call('qingshi.admin', 'POST', path, person({ idNumber: ` ${wide} `, name: '全角', gender: 'male' }));
    expect(ok.status, ok.text).toBe(201);
  });

  it('keeps key-group tags to holders of the explicit permission', async () => {
    const h = await newHousehold('qs-g1');
    const id = testIdNumber('330521', '1979-11-14', 817);
    const r = await call(
      'qingshi.admin',
      'POST',
      `/town/grids/qs-g1/households/${h.householdId}/people`,
      person({ idNumber: id, name: '黄珍', keyTags: ['community_correction'], tags: ['low_income'] }),
    );
    expect(r.status, r.text).toBe(201);
    expect(r.json.keyTags).toEqual(['community_correction']);
    const seen = await call('qingshi.grid1', 'GET', `/town/grids/qs-g1/households/${h.householdId}`);
    const member = (seen.json.members as Json[])[0] as Json;
    expect(member.tags).toEqual(['low_income']);
    expect(member).not.toHaveProperty('keyTags');
    expect(seen.text).not.toContain('community_correction');
    const h2 = await newHousehold('qs-g1', 'qingshi.grid1');
    const refused = await call(
      'qingshi.grid1',
      'POST',
      `/town/grids/qs-g1/households/${h2.householdId}/people`,
      person({ idNumber: testIdNumber('330521', '1979-11-14', 819), keyTags: ['drug_rehab'] }),
    );
    expect([refused.status, refused.json.error?.code]).toEqual([403, 'person.key_groups_forbidden']);
    expect((await call('qingshi.grid1', 'POST', '/town/people/search', { by: 'tag', tag: 'community_correction' })).status).toBe(403);
    const found = await call('qingshi.admin', 'POST', '/town/people/search', { by: 'tag', tag: 'community_correction' });
    expect((found.json.items as Json[]).map((p) => p.name)).toEqual(['黄珍']);
  });

  it('confines coordinators to their grids and community staff to their community', async () => {
    expect((await call('qingshi.grid1', 'GET', '/town/grids/qs-g2/people')).json.error?.code).toBe('scope.grid');
    expect((await call('qingshi.station1', 'GET', '/town/grids/lh-g1/people')).json.error?.code).toBe('scope.grid');
    expect((await call('qingshi.station1', 'GET', '/town/grids/qs-g2/people')).status).toBe(200);
    expect((await call('qingshi.mediator', 'GET', '/town/grids/qs-g1/people')).status).toBe(403);
  });

  it('reveals an ID with a reason, audited and limited per hour', async () => {
    const h = await newHousehold('qs-g3');
    const id = testIdNumber('410102', '1955-04-17', 886);
    const p = (
      await call(
        'qingshi.admin',
        'POST',
        `/town/grids/qs-g3/households/${h.householdId}/people`,
        person({ idNumber: id, gender: 'female', name: '姚玉', phone: '18642810106' }),
      )
    ).json;
    const path = `/town/grids/qs-g3/households/${h.householdId}/people/${String(p.personId)}/reveal`;
    expect((await call('qingshi.admin', 'POST', path, { field: 'idNumber' })).status).toBe(400);
    const shown = await call('qingshi.admin', 'POST', path, { field: 'idNumber', reason: '办理低保复核' });
    expect(shown.json).toEqual({ field: 'idNumber', value: id });
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect((await call('qingshi.admin', 'POST', path, { field: 'phone', reason: '电话回访' })).json.value).toBe('18642810106');
    expect((await call('qingshi.auditor', 'POST', path, { field: 'idNumber', reason: '审计抽查' })).status).toBe(403);
    const audits = (await scanAll()).filter((i) => i.action === 'person.reveal' && i.target === p.personId);
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actor: 'qingshi.admin', details: { reason: expect.any(String) } });
    let last = 0;
    for (let i = 0; i < 20; i++) last = (await call('qingshi.admin', 'POST', path, { field: 'idNumber', reason: '批量核对' })).status;
    expect(last).toBe(429);
  });

  it('records moves as events, moves counters with the person, and closes without deleting', async () => {
    const from = await newHousehold('lh-g1', 'qingshi.admin', { courtyardId: 'lh-g1-y1' });
    const to = await newHousehold('lh-g2', 'qingshi.admin', { courtyardId: 'lh-g2-y1' });
    const id = testIdNumber('510104', '1998-01-23', 27);
    const created = (
      await call(
        'qingshi.admin',
        'POST',
        `/town/grids/lh-g1/households/${from.householdId}/people`,
        person({
          idNumber: id,
          name: '刘兰燕',
          residenceType: 'floating',
          floating: { arrivalDate: '2024-07-01', origin: '四川成都' },
          tags: ['elderly_alone'],
        }),
      )
    ).json;
    const summary = async (sk: string) =>
      ((await scanAll()).find((i) => i.pk === 'T#qingshi#COUNT' && i.sk === sk) ?? {}) as Record<string, number>;
    const g1 = await summary('GRID#lh-g1');
    const moved = await call(
      'qingshi.admin',
      'POST',
      `/town/grids/lh-g1/households/${from.householdId}/people/${String(created.personId)}/moves`,
      {
        version: 1,
        kind: 'to_household',
        on: '2026-11-20',
        toGridId: 'lh-g2',
        toHouseholdId: to.householdId,
      },
    );
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ gridId: 'lh-g2', householdId: to.householdId, courtyardId: 'lh-g2-y1', version: 2 });
    expect((await summary('GRID#lh-g1')).people).toBe((g1.people ?? 0) - 1);
    expect((await summary('GRID#lh-g2')).res_floating).toBeGreaterThanOrEqual(1);
    const detail = await call('qingshi.admin', 'GET', `/town/grids/lh-g2/households/${to.householdId}/people/${String(created.personId)}`);
    // Registered as floating with an arrival date: the arrival is an event of its own, counted in its month.
    expect((detail.json.events as Json[]).map((e) => e.kind)).toEqual(['created', 'arrival', 'to_household']);
    expect((await summary('MONTH#2024-07')).arrivals).toBeGreaterThanOrEqual(1);
    expect(
      (await call('qingshi.admin', 'GET', `/town/grids/lh-g1/households/${from.householdId}/people/${String(created.personId)}`)).status,
    ).toBe(404);
    // Found by ID at its new place.
    const byId = await call('qingshi.admin', 'POST', '/town/people/search', { by: 'idNumber', idNumber: id });
    expect((byId.json.items as Json[])[0]).toMatchObject({ gridId: 'lh-g2' });
    // Departure closes the record; it stays, and is counted as a departure of the month.
    const left = await call(
      'qingshi.admin',
      'POST',
      `/town/grids/lh-g2/households/${to.householdId}/people/${String(created.personId)}/moves`,
      { version: 2, kind: 'departure', on: '2026-11-25' },
    );
    expect(left.json).toMatchObject({ status: 'closed', closedReason: 'moved_away' });
    expect((await summary('MONTH#2026-11')).departures).toBe(1);
    expect(
      (
        await call('qingshi.admin', 'PATCH', `/town/grids/lh-g2/households/${to.householdId}/people/${String(created.personId)}`, {
          version: 3,
          name: 'x',
        })
      ).status,
    ).toBe(409);
  });

  it('finds people by name prefix and residence type, and keeps counters equal to a recount', async () => {
    const byName = await call('qingshi.admin', 'POST', '/town/people/search', { by: 'name', prefix: '严' });
    expect((byName.json.items as Json[]).map((p) => p.name)).toContain('严晓');
    const floating = await call('qingshi.admin', 'POST', '/town/people/search', {
      by: 'residenceType',
      residenceType: 'registered',
      limit: 5,
    });
    expect((floating.json.items as Json[]).every((p) => p.residenceType === 'registered')).toBe(true);
    const items = await scanAll();
    const people = items.filter((i) => i.type === 'Person' && String(i.pk).startsWith('T#qingshi#') && i.status === 'active');
    const counters = items.filter((i) => i.pk === 'T#qingshi#COUNT');
    const town = counters.find((c) => c.sk === 'TOWN') as Record<string, number>;
    expect(town.people).toBe(people.length);
    expect(town.res_floating ?? 0).toBe(people.filter((p) => p.residenceType === 'floating').length);
    for (const grid of new Set(people.map((p) => String(p.gridId)))) {
      const c = counters.find((x) => x.sk === `GRID#${grid}`) as Record<string, number>;
      expect([grid, c.people]).toEqual([grid, people.filter((p) => p.gridId === grid).length]);
    }
    const households = items.filter((i) => i.type === 'Household' && String(i.pk).startsWith('T#qingshi#'));
    expect(town.households).toBe(households.length);
    for (const h of households)
      expect([h.householdId, h.members]).toEqual([h.householdId, people.filter((p) => p.householdId === h.householdId).length]);
    const map = await call('qingshi.grid1', 'GET', '/town/map');
    const g = (map.json.grids as Json[]).find((x) => x.gridId === 'qs-g1') as Json;
    expect(g.people).toBe(people.filter((p) => p.gridId === 'qs-g1').length);
  });

  it('reconciles: no drift after all of the above; a tampered counter is found and fixed', async () => {
    const clean = (await runJob({ job: 'reconcile', town: 'qingshi' })) as Array<{ townId: string; drift: number; people: number }>;
    expect(clean).toEqual([expect.objectContaining({ townId: 'qingshi', drift: 0 })]);
    expect(clean[0]?.people).toBeGreaterThan(3);
    await commitChange({ writes: [], audit: [], counters: [{ key: townKeys('qingshi').counters('GRID#qs-g1'), deltas: { people: 5 } }] });
    const dirty = (await runJob({ job: 'reconcile', town: 'qingshi', fix: true })) as Array<{ drift: number }>;
    expect(dirty[0]?.drift).toBe(1);
    const again = (await runJob({ job: 'reconcile', town: 'qingshi' })) as Array<{ drift: number }>;
    const report = (await scanAll()).find((i) => i.pk === 'T#qingshi#REPORT' && i.sk === 'RECONCILE');
    expect([again[0]?.drift, report?.drift]).toEqual([0, []]);
    // Every town, one by one; a bad town id is reported, not fatal.
    const all = (await runJob({ job: 'reconcile' })) as Array<{ townId: string; drift: number }>;
    expect(all.map((t) => t.townId).sort()).toEqual(['baisha', 'qingshi', 'taoyuan']);
    expect(all.every((t) => t.drift === 0)).toBe(true);
  });
});
