import { getItem, runInScope, townKeys, townPrefix } from '@gridline/data';
import { scanAll } from '@gridline/data/admin';
import { mediationOf } from '@gridline/data/mediation';
import { townVault } from '@gridline/data/vault';
import { addDays, newId, periodContaining, shanghaiDay, type TownPrincipal } from '@gridline/domain';
import { boundRoutes } from '@gridline/functions';
import { runJob } from '@gridline/functions/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIdNumber } from '../support/ids';
import { recountMetrics } from '../support/recount';
import { startTestStack, type TestStack } from '../support/stack';

// Disputes and mediation (issue 15) through the API, against DynamoDB Local with the demo county: in
// qingshi, grid1 coordinates qs-g1 (and holds the people's mediator post there), station1 is the staff of
// its community qingshi-sq, qingshi.mediator the town's mediation centre, admin the town's; grid2's qs-g2
// has no mediator. The demo seeds a few cases and a judge (qingshi.judge) invited to one of them.

let stack: TestStack;
const tokens = new Map<string, string>();
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
});
afterAll(() => stack.close());

const k = townKeys('qingshi');
const inTown = <T>(fn: () => Promise<T>) =>
  runInScope({ requestId: `test-mediation-${newId()}`, tenant: 'qingshi', allowedPrefixes: [townPrefix('qingshi')] }, fn);

type Json = Record<string, unknown>;
type Case = {
  caseId: string;
  version: number;
  status: string;
  level: string;
  intakeLevel: string;
  type: string;
  gridId: string;
  mediators: string[];
  parties: Json[];
  flags?: string[];
  reopens: number;
  joint: boolean;
  agreement?: { followUpDue: string[]; signedOn: string };
  failure?: { referral: string };
  sessions: Json[];
  followUps: Json[];
  risk: { level: string };
  foundBy: Json;
};
type Detail = {
  case: Case;
  events: Array<{ kind: string; actor: string; level: string; details: Json }>;
  invitations: Array<{ username?: string; active: boolean; until: string }>;
  partyNames: string[];
  actions: string[];
  asParticipant: boolean;
  initialCredentials?: { username: string; temporaryPassword: string };
};
type Page = { items: Case[]; nextCursor: string | null };
type Err = { error: { code: string; field?: string }; current?: Detail };
type Res = { status: number; body: unknown; text: string };

async function as(user: string, method: string, path: string, body?: unknown): Promise<Res> {
  if (!tokens.has(user)) tokens.set(user, await stack.token(user));
  return stack.call(method, path, { token: tokens.get(user), ...(body === undefined ? {} : { body }) });
}
const ok = <T>(r: Res, status = 200): T => {
  expect(r.status, r.text).toBe(status);
  return r.body as T;
};
const refused = (r: Res, status: number, code: string, field?: string) => {
  expect(r.status, r.text).toBe(status);
  expect((r.body as Err).error.code).toBe(code);
  if (field !== undefined) expect((r.body as Err).error.field).toBe(field);
};

const today = () => shanghaiDay(new Date());
const caseId = () => `case-${newId().toLowerCase()}`;
let sequence = 601;
const idNumber = () => {
  sequence += 2;
  return testIdNumber('330523', '1968-04-12', sequence);
};

const intake = (over: Json = {}) => ({
  caseId: caseId(),
  parties: [{ name: '张某', phone: '13900006001' }, { name: '李某' }],
  type: 'neighbour',
  gridId: 'qs-g1',
  summary: '相邻两户因排水沟堵塞引发争执',
  risk: { level: 'low' },
  foundBy: { how: 'walk_in' },
  level: 'courtyard',
  ...over,
});
const takeIn = async (over: Json = {}, user = 'qingshi.grid1') =>
  ok<Detail>(await as(user, 'POST', '/town/mediation/cases', intake(over)), 201);
const act = async (user: string, d: Detail, step: Json) =>
  ok<Detail>(await as(user, 'POST', `/town/mediation/cases/${d.case.caseId}/actions`, { ...step, version: d.case.version }));
const tryAct = (user: string, d: Detail, step: Json) =>
  as(user, 'POST', `/town/mediation/cases/${d.case.caseId}/actions`, { ...step, version: d.case.version });
const session = { action: 'session', on: '2026-12-05', place: '院落议事亭', attendees: ['双方当事人'], notes: '双方陈述事实' };
const agreement = (signedOn: string) => ({
  action: 'agree',
  agreement: { facts: '排水沟堵塞', terms: ['双方共同疏通', '今后轮流清理'], signedOn },
});

async function bookPerson(id: string, name = '王秀兰') {
  const h = ok<{ householdId: string }>(await as('qingshi.admin', 'POST', '/town/grids/qs-g1/households', { door: `${sequence}室` }), 201);
  const p = ok<{ personId: string }>(
    await as('qingshi.admin', 'POST', `/town/grids/qs-g1/households/${h.householdId}/people`, {
      name,
      gender: 'male',
      idNumber: id,
      relation: '户主',
      residenceType: 'registered',
      tags: [],
      keyTags: [],
    }),
    201,
  );
  return { gridId: 'qs-g1', householdId: h.householdId, personId: p.personId };
}

const rawCase = (id: string) => inTown(() => getItem<Json>(k.mediationCase(id), { consistent: true }));
const list = async (user: string, query: string) => ok<Page>(await as(user, 'GET', `/town/mediation/cases?${query}`));

describe('mediation (issue 15)', () => {
  it('takes a dispute in at the courtyard with a book party and an outside party; no ID number leaves encryption', async () => {
    const resident = idNumber();
    const outsider = idNumber();
    const person = await bookPerson(resident);
    const body = intake({
      parties: [person, { name: '外村村民赵某', idNumber: outsider, phone: '13900006002' }],
      risk: { level: 'medium' },
      foundBy: { how: 'visit', visitId: 'v-demo-1' },
    });
    const r = await as('qingshi.grid1', 'POST', '/town/mediation/cases', body);
    const d = ok<Detail>(r, 201);
    expect(d.case).toMatchObject({
      status: 'open',
      level: 'courtyard',
      intakeLevel: 'courtyard',
      version: 1,
      mediators: ['qingshi.grid1'],
    });
    expect(d.case.parties).toEqual([person, { name: '外村村民赵某', hasIdNumber: true, hasPhone: true }]);
    expect(d.partyNames).toEqual(['王秀兰', '外村村民赵某']);
    expect(d.events.map((e) => e.kind)).toEqual(['taken_in']);
    expect(d.actions).toEqual(expect.arrayContaining(['escalate', 'session', 'note', 'outcome', 'invite']));
    for (const secret of [resident, outsider, '13900006002']) expect(r.text).not.toContain(secret);

    // The stored item: sealed contacts and the book's own keyed hashes, never a number in clear.
    const raw = (await rawCase(d.case.caseId)) as Json;
    const vault = await inTown(() => townVault('qingshi'));
    const personItem = await inTown(() => getItem<Json>(k.person(person.gridId, person.householdId, person.personId)));
    expect(raw.partyKeys).toEqual([personItem?.idHash, vault.lookupHash('idNumber', outsider)]);
    expect((raw.partySecrets as Json[])[1]).toEqual({
      idNumberSealed: expect.stringMatching(/^v1\./),
      phoneSealed: expect.stringMatching(/^v1\./),
    });
    const everything = JSON.stringify(await scanAll());
    for (const secret of [resident, outsider, '13900006002']) {
      expect(everything).not.toContain(secret);
    }

    // The same request again answers the same case; the same id for another case is refused.
    const again = ok<Detail>(await as('qingshi.grid1', 'POST', '/town/mediation/cases', body), 201);
    expect(again.case).toMatchObject({ caseId: d.case.caseId, version: 1 });
    expect(again.events).toHaveLength(1);
    refused(
      await as('qingshi.grid1', 'POST', '/town/mediation/cases', { ...body, summary: '另一起纠纷' }),
      409,
      'mediation.exists',
      'body.caseId',
    );
  });

  it('refuses what intake cannot take, on the field at fault', async () => {
    const post = (over: Json, user = 'qingshi.grid1') => as(user, 'POST', '/town/mediation/cases', intake(over));
    refused(
      await post({ parties: [{ gridId: 'qs-g1', householdId: 'h-nope', personId: 'p-nope' }, { name: '李某' }] }),
      422,
      'mediation.unknown_party',
      'body.parties.0.personId',
    );
    refused(await post({ parties: [{ name: '李某' }, { name: '赵某', idNumber: '12345' }] }), 400, 'id.length', 'body.parties.1.idNumber');
    refused(await post({ parties: [{ name: '李某' }, { name: '赵某', phone: '12' }] }), 400, 'phone.mobile', 'body.parties.1.phone');
    refused(await post({ foundBy: { how: 'matter', matterId: 'm-nope' } }), 422, 'mediation.unknown_matter', 'body.foundBy.matterId');
    refused(await post({ courtyardId: 'lh-g1-y1' }), 422, 'mediation.unknown_courtyard', 'body.courtyardId');
    // Diversion above the courtyard says why.
    refused(await post({ level: 'community' }), 400, 'request.invalid', 'body.diversionReason');
    // Nobody holds the mediator post in qs-g2; lh-g1 is not grid1's; the auditor only reads.
    refused(await post({ gridId: 'qs-g2' }, 'qingshi.admin'), 422, 'mediation.no_mediator', 'body.level');
    refused(await post({ gridId: 'lh-g1' }), 403, 'mediation.out_of_scope', 'body.gridId');
    refused(await post({}, 'qingshi.auditor'), 403, 'auth.role');
  });

  it('climbs the ladder courtyard → community → town from a matter turned into a dispute, linked both ways', async () => {
    const matter = ok<{ matter: { matterId: string } }>(
      await as('qingshi.grid1', 'POST', '/town/matters', {
        categoryId: 'dispute',
        gridId: 'qs-g1',
        description: '两户因院墙归属争吵',
        reporter: { name: '陈阿姨' },
        urgency: 'normal',
        channel: 'coordinator',
      }),
      201,
    );
    const matterId = matter.matter.matterId;
    let d = await takeIn({ type: 'property', foundBy: { how: 'matter', matterId } });
    expect(d.case.foundBy).toEqual({ how: 'matter', matterId });
    const m = ok<{ timeline: Array<{ kind: string; details: Json }> }>(await as('qingshi.grid1', 'GET', `/town/matters/${matterId}`));
    expect(m.timeline.find((e) => e.kind === 'mediation_case')?.details).toMatchObject({ caseId: d.case.caseId });

    d = await act('qingshi.grid1', d, session);
    d = await act('qingshi.grid1', d, { action: 'escalate', reason: '院落调解未果，提请社区调委会' });
    expect(d.case).toMatchObject({ level: 'community', mediators: ['qingshi.station1'], status: 'open' });
    // The coordinator still reads the case of their grid, but no longer mediates it.
    expect(d.actions).toEqual([]);
    const station = ok<Detail>(await as('qingshi.station1', 'GET', `/town/mediation/cases/${d.case.caseId}`));
    expect(station.actions).toContain('escalate');
    d = await act('qingshi.station1', station, { action: 'escalate', reason: '涉及宅基地权属，提请镇调解中心' });
    expect(d.case).toMatchObject({ level: 'town', mediators: ['qingshi.mediator'] });
    const centre = ok<Detail>(await as('qingshi.mediator', 'GET', `/town/mediation/cases/${d.case.caseId}`));
    refused(await tryAct('qingshi.mediator', centre, { action: 'escalate', reason: '再上报' }), 422, 'mediation.top_level');
    expect(centre.events.map((e) => e.kind)).toEqual(['taken_in', 'session', 'escalated', 'escalated']);

    // A stale version: 409 with the case as it stands.
    const stale = await as('qingshi.mediator', 'POST', `/town/mediation/cases/${d.case.caseId}/actions`, { ...session, version: 1 });
    refused(stale, 409, 'mediation.version_conflict', 'body.version');
    expect((stale.body as Err).current?.case.version).toBe(centre.case.version);
    // Another grid's coordinator, another town's admin: no such case.
    refused(await as('qingshi.grid2', 'GET', `/town/mediation/cases/${d.case.caseId}`), 404, 'mediation.not_found');
    refused(await as('taoyuan.admin', 'GET', `/town/mediation/cases/${d.case.caseId}`), 404, 'mediation.not_found');
  });

  it('joint mediation: an invited participant signs in, reads and acts on exactly their case, until the invitation ends', async () => {
    const other = await takeIn();
    let d = await takeIn(
      {
        type: 'labour',
        level: 'town',
        diversionReason: '多名工人讨薪，直接由镇调解中心受理',
        risk: { level: 'high', reason: '工人情绪激动' },
      },
      'qingshi.admin',
    );
    const until = addDays(today(), 7);
    refused(
      await tryAct('qingshi.mediator', d, {
        action: 'invite',
        role: 'legal_worker',
        name: '张律师',
        until: addDays(today(), -1),
        username: 'qingshi.lawyer',
      }),
      422,
      'mediation.invitation_expired',
      'body.until',
    );
    // A staff member's sign-in, or another town's, cannot be a participant's.
    refused(
      await tryAct('qingshi.mediator', d, { action: 'invite', role: 'legal_worker', name: '张律师', until, username: 'qingshi.grid2' }),
      409,
      'mediation.account_mismatch',
      'body.username',
    );
    refused(
      await tryAct('qingshi.mediator', d, { action: 'invite', role: 'legal_worker', name: '张律师', until, username: 'taoyuan.lawyer' }),
      409,
      'mediation.account_mismatch',
      'body.username',
    );
    d = await act('qingshi.mediator', d, { action: 'invite', role: 'legal_worker', name: '张律师', until, username: 'qingshi.lawyer' });
    expect(d.case.joint).toBe(true);
    expect(d.invitations).toEqual([expect.objectContaining({ username: 'qingshi.lawyer', until, active: true })]);
    const credentials = d.initialCredentials as { username: string; temporaryPassword: string };
    expect(credentials.username).toBe('qingshi.lawyer');
    // The account: a participant of this town, no scope, able to sign in with the one-time password.
    expect(stack.directory.authenticate('qingshi.lawyer', credentials.temporaryPassword)).toMatchObject({
      role: 'participant',
      townId: 'qingshi',
      scope: '',
    });

    const lawyer = 'qingshi.lawyer';
    const seen = ok<Detail>(await as(lawyer, 'GET', `/town/mediation/cases/${d.case.caseId}`));
    expect(seen.asParticipant).toBe(true);
    expect(seen.actions.sort()).toEqual(['note', 'session']);
    let p = await act(lawyer, seen, { action: 'note', text: '依据劳动合同法，建议先行支付部分工资。' });
    p = await act(lawyer, p, session);
    expect(p.events.slice(-2).map((e) => [e.kind, e.actor, e.details.as])).toEqual([
      ['note', lawyer, 'participant'],
      ['session', lawyer, 'participant'],
    ]);
    for (const step of [
      { action: 'escalate', reason: '上报' },
      agreement(today()),
      { action: 'fail', failure: { referral: 'arbitration', reason: '调解不成' } },
      { action: 'invite', role: 'police', name: '社区民警', until },
    ])
      refused(await tryAct(lawyer, p, step), 403, 'mediation.participant_only');
    // Exactly the invited case, whatever the view; nothing else of the town.
    for (const view of ['open', 'flagged', 'closed', 'invited'])
      expect((await list(lawyer, `view=${view}`)).items.map((c) => c.caseId)).toEqual([d.case.caseId]);
    refused(await as(lawyer, 'GET', `/town/mediation/cases/${other.case.caseId}`), 404, 'mediation.not_found');
    refused(await as(lawyer, 'GET', '/town/mediation/summary'), 403, 'auth.role');
    refused(await as(lawyer, 'GET', '/town/matters?queue=mine'), 403, 'auth.role');
    refused(await as(lawyer, 'POST', '/town/mediation/cases', intake()), 403, 'auth.role');
    // Every read was audited, the one refused too.
    const audit = (await scanAll()).filter((i) => String(i.pk).startsWith(`${k.prefix}AUDIT#`) && i.actor === lawyer);
    expect(audit.filter((a) => a.action === 'mediation.read').map((a) => a.details)).toEqual(
      expect.arrayContaining([{ found: true }, { found: false }]),
    );
    expect(audit.filter((a) => a.action === 'mediation.list')).toHaveLength(4);

    // A second invitation of the same account makes no new password.
    const again = await act('qingshi.mediator', p, {
      action: 'invite',
      role: 'legal_worker',
      name: '张律师',
      until: addDays(today(), 3),
      username: lawyer,
    });
    expect(again.initialCredentials).toBeUndefined();

    // The day after the last invitation ends: nothing at all.
    const principal: TownPrincipal = {
      kind: 'town',
      userId: lawyer,
      username: lawyer,
      role: 'participant',
      townId: 'qingshi',
      scope: { communities: [], grids: [] },
    };
    const later = new Date(Date.parse(`${addDays(until, 1)}T02:00:00.000Z`)).toISOString();
    await expect(inTown(() => mediationOf(principal).get(d.case.caseId, later))).rejects.toMatchObject({
      status: 404,
      code: 'mediation.not_found',
    });
    expect((await inTown(() => mediationOf(principal).list({ view: 'open', limit: 25 }, later))).items).toEqual([]);
    await expect(
      inTown(() => mediationOf(principal).act(d.case.caseId, { action: 'note', text: '补充意见', version: again.case.version }, later)),
    ).rejects.toMatchObject({ status: 404 });
    // Until then, its last day included, it still may.
    const lastDay = new Date(Date.parse(`${until}T15:00:00.000Z`)).toISOString();
    expect((await inTown(() => mediationOf(principal).get(d.case.caseId, lastDay))).case.caseId).toBe(d.case.caseId);

    // The demo judge sees the one demo case they are invited to.
    const judge = await list('qingshi.judge', 'view=open');
    expect(judge.items.map((c) => c.caseId)).toEqual(['qingshi-demo-m3']);
  });

  it('reaches an agreement, follows it up at 30 and 90 days: broken reopens, holding at both closes', async () => {
    let d = await takeIn({ type: 'family' });
    d = await act('qingshi.grid1', d, agreement(addDays(today(), -100)));
    expect(d.case.status).toBe('agreed');
    expect(d.case.agreement?.followUpDue).toEqual([addDays(today(), -70), addDays(today(), -10)]);
    expect((await list('qingshi.grid1', 'view=follow_ups_due&limit=100')).items.map((c) => c.caseId)).toContain(d.case.caseId);
    d = await act('qingshi.grid1', d, { action: 'follow_up', holds: false, note: '一方未按协议清理' });
    expect(d.case).toMatchObject({ status: 'open', level: 'courtyard', reopens: 1 });
    expect(d.case.agreement).toBeUndefined();
    expect(d.events.slice(-2).map((e) => e.kind)).toEqual(['follow_up', 'reopened']);
    d = await act('qingshi.grid1', d, agreement(addDays(today(), -100)));
    d = await act('qingshi.grid1', d, { action: 'follow_up', holds: true, note: '三十日回访，协议履行良好' });
    expect(d.case.status).toBe('agreed');
    d = await act('qingshi.grid1', d, { action: 'follow_up', holds: true, note: '九十日回访，协议履行良好' });
    expect(d.case.status).toBe('closed');
    expect(d.events.at(-1)?.kind).toBe('closed');
    refused(await tryAct('qingshi.grid1', d, session), 409, 'mediation.closed');
    expect((await list('qingshi.grid1', 'view=closed&limit=100')).items.map((c) => c.caseId)).toContain(d.case.caseId);
  });

  it('fails with a referral, and that ends the case', async () => {
    let d = await takeIn({ type: 'debt' });
    d = await act('qingshi.grid1', d, { action: 'fail', failure: { referral: 'arbitration', reason: '双方对工资数额分歧过大' } });
    expect(d.case.failure).toMatchObject({ referral: 'arbitration' });
    expect(d.case.status).toBe('failed');
    refused(await tryAct('qingshi.grid1', d, { action: 'escalate', reason: '上报' }), 409, 'mediation.closed');
    expect((await list('qingshi.admin', 'view=failed&limit=100')).items.map((c) => c.caseId)).toContain(d.case.caseId);
  });

  it('flags a repeat party across cases by the keyed hash of the ID number: typed for an outsider, or from the book', async () => {
    const id = idNumber();
    const first = await takeIn({ parties: [{ name: '周某', idNumber: id.toLowerCase() }, { name: '吴某' }] });
    expect(first.case.flags).toBeUndefined();
    const person = await bookPerson(id, '周某某');
    const second = await takeIn({ parties: [person, { name: '郑某' }], type: 'family' });
    expect(second.case.flags).toEqual(['repeat_party']);
    const before = ok<Detail>(await as('qingshi.grid1', 'GET', `/town/mediation/cases/${first.case.caseId}`));
    expect(before.case.flags).toEqual(['repeat_party']);
    expect(before.case.version).toBe(2);
    expect(before.events.at(-1)).toMatchObject({ kind: 'flagged', details: { flag: 'repeat_party', caseId: second.case.caseId } });
    const high = await takeIn({ risk: { level: 'high', reason: '双方扬言报复' } });
    expect(high.case.flags).toEqual(['high_risk']);
    const flagged = (await list('qingshi.admin', 'view=flagged&limit=100')).items;
    expect(flagged.map((c) => c.caseId)).toEqual(expect.arrayContaining([first.case.caseId, second.case.caseId, high.case.caseId]));
    expect(flagged.every((c) => (c.flags ?? []).length > 0)).toBe(true);
    expect(JSON.stringify(await scanAll())).not.toContain(id);
  });

  it('lists each view within the caller’s reach, highest risk first, page by page', async () => {
    const high = await takeIn({ risk: { level: 'high', reason: '有冲突苗头' } });
    const open = await list('qingshi.grid1', 'view=open&limit=100');
    expect(open.items.every((c) => c.gridId === 'qs-g1' && c.status === 'open')).toBe(true);
    const ranks = open.items.map((c) => ['high', 'medium', 'low'].indexOf(c.risk.level));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(open.items[0]?.risk.level).toBe('high');
    expect(open.items.map((c) => c.caseId)).toContain(high.case.caseId);
    // grid2 reaches no case of qs-g1; the station and the whole-town readers do.
    expect((await list('qingshi.grid2', 'view=open&limit=100')).items.some((c) => c.gridId === 'qs-g1')).toBe(false);
    expect((await list('qingshi.station1', 'view=open&limit=100')).items.map((c) => c.caseId)).toContain(high.case.caseId);
    const all = await list('qingshi.auditor', 'view=open&limit=100');
    expect(all.items.map((c) => c.caseId)).toContain(high.case.caseId);
    // One rung only.
    const town = await list('qingshi.admin', 'view=open&level=town&limit=100');
    expect(town.items.length).toBeGreaterThan(0);
    expect(town.items.every((c) => c.level === 'town')).toBe(true);
    // Page by page: the same cases, once each, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list('qingshi.auditor', `view=open&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((c) => c.caseId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((c) => c.caseId));
    // A cursor of one view is refused by another.
    const first = await list('qingshi.auditor', 'view=open&limit=1');
    refused(
      await as('qingshi.auditor', 'GET', `/town/mediation/cases?view=closed&cursor=${encodeURIComponent(first.nextCursor ?? '')}`),
      400,
      'cursor.invalid',
    );
  });

  it('counts the month: received, mediated, agreements, failures, joint, by level and type; the rates', async () => {
    type Summary = {
      month: string;
      total: Record<string, number>;
      byLevel: Array<Record<string, number | string>>;
      byType: Array<Record<string, number | string>>;
      successRate: number | null;
      jointShare: number | null;
    };
    const before = ok<Summary>(await as('qingshi.station1', 'GET', '/town/mediation/summary'));
    let d = await takeIn({ type: 'land' });
    d = await act('qingshi.grid1', d, session);
    d = await act('qingshi.grid1', d, { action: 'invite', role: 'police', name: '社区民警刘警官', until: today() });
    d = await act('qingshi.grid1', d, agreement(today()));
    const after = ok<Summary>(await as('qingshi.station1', 'GET', '/town/mediation/summary'));
    expect(after.month).toBe(periodContaining(new Date(), 'month'));
    for (const f of ['received', 'mediated', 'agreements', 'joint']) expect((after.total[f] ?? 0) - (before.total[f] ?? 0)).toBe(1);
    const land = (s: Summary) => Number(s.byType.find((t) => t.type === 'land')?.received);
    expect(land(after) - land(before)).toBe(1);
    const yard = (s: Summary) => Number(s.byLevel.find((t) => t.level === 'courtyard')?.agreements);
    expect(yard(after) - yard(before)).toBe(1);
    const t = after.total as Record<string, number>;
    expect(after.successRate).toBeCloseTo((t.agreements ?? 0) / ((t.agreements ?? 0) + (t.failures ?? 0)));
    expect(after.jointShare).toBeCloseTo((t.joint ?? 0) / (t.received ?? 1));
  });

  it('keeps the town’s settings at a version: the follow-up days an agreement is scheduled by', async () => {
    const s = ok<{ version: number; followUpDays: number[]; types: string[] }>(
      await as('qingshi.grid1', 'GET', '/town/mediation/settings'),
    );
    expect(s).toMatchObject({ version: 0, followUpDays: [30, 90] });
    refused(await as('qingshi.grid1', 'PUT', '/town/mediation/settings', { followUpDays: [15], types: s.types }), 403, 'auth.role');
    const saved = ok<{ version: number; followUpDays: number[] }>(
      await as('qingshi.admin', 'PUT', '/town/mediation/settings', { followUpDays: [60, 15, 15], types: s.types }),
    );
    expect(saved).toMatchObject({ version: 1, followUpDays: [15, 60] });
    refused(
      await as('qingshi.admin', 'PUT', '/town/mediation/settings', { followUpDays: [15], types: s.types }),
      409,
      'mediation.settings_changed',
      'body.version',
    );
    let d = await takeIn({ type: 'marriage' });
    d = await act('qingshi.grid1', d, agreement(today()));
    expect(d.case.agreement?.followUpDue).toEqual([addDays(today(), 15), addDays(today(), 60)]);
    refused(await tryAct('qingshi.grid1', d, { action: 'follow_up', holds: true, note: '提前回访' }), 422, 'mediation.follow_up_not_due');
    // A type the town no longer uses is refused at intake.
    ok(
      await as('qingshi.admin', 'PUT', '/town/mediation/settings', {
        version: 1,
        followUpDays: [30, 90],
        types: ['neighbour', 'family', 'property', 'labour', 'land', 'marriage', 'debt'],
      }),
    );
    refused(
      await as('qingshi.grid1', 'POST', '/town/mediation/cases', intake({ type: 'other' })),
      422,
      'mediation.unknown_type',
      'body.type',
    );
  });

  it('tells the mediators each morning of the follow-ups due, once a day', async () => {
    let d = await takeIn({ type: 'neighbour' });
    d = await act('qingshi.grid1', d, agreement(addDays(today(), -31)));
    const at = new Date().toISOString();
    const run = async () =>
      (await runJob({ job: 'mediation-follow-ups', town: 'qingshi', at })) as Array<{ notified: number; due: number }>;
    const [first] = await run();
    expect(first?.notified).toBeGreaterThanOrEqual(1);
    const notes = ok<{ items: Array<{ kind: string; caseId?: string; overdue?: boolean }> }>(
      await as('qingshi.grid1', 'GET', '/town/notifications'),
    );
    const mine = notes.items.filter((n) => n.kind === 'mediation_follow_up' && n.caseId === d.case.caseId);
    expect(mine).toEqual([expect.objectContaining({ overdue: true })]);
    const [second] = await run();
    expect(second?.notified).toBe(0);
    const again = ok<{ items: Array<{ kind: string; caseId?: string }> }>(await as('qingshi.grid1', 'GET', '/town/notifications'));
    expect(again.items.filter((n) => n.kind === 'mediation_follow_up' && n.caseId === d.case.caseId)).toHaveLength(1);
  });

  it('rolls the month up to the county, equal to an independent recount of the case timelines, with the rates', async () => {
    const county = await stack.token('county.admin');
    const period = periodContaining(new Date().toISOString(), 'month');
    expect((await stack.call('POST', '/admin/rollups/run', { token: county, body: { period } })).status).toBe(200);
    const view = (await stack.call('GET', '/admin/rollups', { token: county, query: { period } })).body as {
      towns: Array<{ townId: string; metrics: Record<string, number> }>;
      ratios: Array<{ id: string }>;
    };
    const m = view.towns.find((t) => t.townId === 'qingshi')?.metrics ?? {};
    const recount = await recountMetrics('qingshi', period);
    const mediation = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([id]) => id.startsWith('mediation_')));
    expect(mediation(m)).toEqual(mediation(recount));
    expect(m).toEqual(recount);
    expect(m.mediation_received).toBeGreaterThanOrEqual(10);
    expect(m.mediation_agreements).toBeGreaterThanOrEqual(2);
    expect(m.mediation_joint).toBeGreaterThanOrEqual(2);
    expect(view.ratios.map((r) => r.id)).toEqual(['mediation_success_rate', 'mediation_joint_share']);
  });
});
