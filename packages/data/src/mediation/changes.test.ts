import {
  type MediationCase,
  type MediatorPost,
  planEscalate,
  planInvite,
  planMediationIntake,
  planOutcome,
  type TownPrincipal,
} from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import type { Write } from '../ops';
import { CASE_ITEM_LIMIT, mediationChanges } from './changes';
import { caseViewOf, listKey, type StoredCase, storedCase } from './items';

// Mediation's transaction builder and items are pure: these tests look at the writes it makes and the
// keys its items carry, without DynamoDB (mediation.dynamo.test.ts and tests/api commit them).

const NOW = '2026-12-05T02:00:00.000Z';
const admin: TownPrincipal = {
  kind: 'town',
  userId: 'qingshi.admin',
  username: 'qingshi.admin',
  role: 'town_admin',
  townId: 'qingshi',
  scope: { communities: [], grids: [] },
};
const posts: MediatorPost[] = [
  { level: 'courtyard', place: 'g1', usernames: ['qingshi.grid1'] },
  { level: 'community', place: 'c1', usernames: ['qingshi.station1'] },
  { level: 'town', place: 'TOWN', usernames: ['qingshi.mediator'] },
];
const changes = mediationChanges('qingshi', admin.username);
const keyOf = (w: Write) => ('item' in w ? { pk: w.item.pk, sk: w.item.sk } : w.key);
const shape = (writes: Write[]) =>
  writes.map((w) => `${w.kind} ${keyOf(w).pk.replace('T#qingshi#', '')}|${keyOf(w).sk.replace(NOW, 'NOW')}`);

function taken(over: Partial<StoredCase> = {}, caseId = 'm1'): { plan: ReturnType<typeof planMediationIntake>; stored: StoredCase } {
  const plan = planMediationIntake(
    {
      caseId,
      parties: [{ name: '张某', idNumber: 'x' }, { name: '李某' }],
      type: 'neighbour',
      gridId: 'g1',
      summary: '漏水',
      risk: { level: 'high', reason: '有冲突' },
      foundBy: { how: 'walk_in' },
      level: 'courtyard',
    },
    admin,
    NOW,
    { communityId: 'c1', posts, partyKeys: ['HASH1', null] },
  );
  if (!plan.ok) throw plan.error;
  return {
    plan,
    stored: {
      ...plan.after,
      partyNames: ['张某', '李某'],
      partySecrets: [{ idNumberSealed: 'v1.sealed' }, null],
      flags: ['high_risk'],
      intakeDigest: 'D',
      ...over,
    },
  };
}

describe("mediation's transactions", () => {
  it('takes a case in: the case, its entry, a repeat-party entry per hash, the flagged other case, the matter link, audit, counters', () => {
    const { plan, stored } = taken();
    const other = taken({ flags: [] }, 'm0').stored;
    if (!plan.ok) throw new Error('refused');
    const change = changes.intake(plan, stored, NOW, {
      flag: [{ before: other, hashes: ['HASH1'] }],
      matter: { matterId: 'mt1', version: 3, level: 'grid', status: 'accepted' },
    });
    expect(shape(change.writes)).toEqual([
      'create MED#m1|C',
      'put MED#m1|E#NOW#0001#0',
      'put MEDPTY#HASH1|m1',
      'replace MED#m0|C',
      'put MED#m0|E#NOW#0002#0',
      'check MATTER#mt1|M',
      'put MATTER#mt1|E#NOW#0003#50',
    ]);
    const flagged = change.writes[3] as Extract<Write, { kind: 'replace' }>;
    expect(flagged).toMatchObject({ version: 1, item: { flags: ['repeat_party'], version: 2 } });
    expect(change.writes[6]).toMatchObject({ item: { type: 'MatterEvent', kind: 'mediation_case', details: { caseId: 'm1' } } });
    expect(change.audit).toEqual([expect.objectContaining({ action: 'mediation.take_in', target: 'm1' })]);
    expect(change.counters?.[0]).toMatchObject({
      key: { pk: 'T#qingshi#COUNT', sk: 'MONTH#2026-12' },
      deltas: expect.objectContaining({ mediation_received: 1, mediation_received_courtyard: 1, mediation_received_type_neighbour: 1 }),
    });
  });

  it('keeps the case on its grid’s and its town’s lists through its own index keys; its dispute type apart from the item type', () => {
    const { stored } = taken();
    const item = changes.items.case(stored);
    expect(item).toMatchObject({
      pk: 'T#qingshi#MED#m1',
      sk: 'C',
      type: 'MediationCase',
      disputeType: 'neighbour',
      gsi1pk: 'T#qingshi#MEDG#g1',
      gsi2pk: 'T#qingshi#MEDT',
    });
    expect(item.gsi1sk).toBe(item.gsi2sk);
    expect(String(item.gsi1sk)).toMatch(/^open#0#\d{13}#m1$/);
    expect(storedCase(item)).toEqual(stored);
    // The API's view: no hash, no ciphertext, no digest.
    const view = JSON.stringify(caseViewOf(stored));
    for (const secret of ['HASH1', 'v1.sealed', 'intakeDigest', 'partyNames']) expect(view).not.toContain(secret);
  });

  it('sorts open cases by risk then newest, agreed ones by their next follow-up, the rest newest first', () => {
    const at = (iso: string, risk: 'low' | 'medium' | 'high') =>
      listKey({ ...taken().stored, takenAt: iso, risk: { level: risk, reason: 'r' } });
    const keys = [
      at('2026-12-01T00:00:00.000Z', 'low'),
      at('2026-12-03T00:00:00.000Z', 'high'),
      at('2026-12-02T00:00:00.000Z', 'high'),
      at('2026-12-04T00:00:00.000Z', 'medium'),
    ];
    expect([...keys].sort().map((k) => keys.indexOf(k))).toEqual([1, 2, 3, 0]);
    const { stored } = taken();
    const agreed = planOutcome(stored, { version: 1, agreement: { facts: 'f', terms: ['t'], signedOn: '2026-12-05' } }, admin, NOW, {
      posts,
    });
    if (!agreed.ok) throw agreed.error;
    expect(listKey({ ...stored, ...agreed.after } as StoredCase)).toBe('agreed#2027-01-04#m1');
    expect(listKey({ ...stored, status: 'failed', updatedAt: NOW })).toMatch(/^failed#\d{13}#m1$/);
  });

  it('steps: the case at its version, its entries, an invitation indexed under the account it names', () => {
    const { stored } = taken();
    const escalated = planEscalate(stored, { version: 1, reason: '上报' }, admin, NOW, { posts });
    if (!escalated.ok) throw escalated.error;
    const step = changes.step(escalated, stored, { ...stored, ...escalated.after } as StoredCase, NOW, 0);
    expect(shape(step.writes)).toEqual(['replace MED#m1|C', 'put MED#m1|E#NOW#0002#0']);
    expect(step.writes[0]).toMatchObject({ version: 1, item: { level: 'community', mediators: ['qingshi.station1'] } });
    const invited = planInvite(
      stored,
      { version: 1, role: 'judge', name: '林法官', until: '2026-12-20', username: 'qingshi.judge' },
      admin,
      NOW,
      {
        posts,
      },
    );
    if (!invited.ok) throw invited.error;
    const inv = changes.step(invited, stored, { ...stored, ...invited.after } as StoredCase, NOW, 2);
    expect(shape(inv.writes)).toEqual(['replace MED#m1|C', 'put MED#m1|E#NOW#0002#0', 'put MED#m1|I#NOW#2']);
    expect(inv.writes[2]).toMatchObject({
      item: { type: 'MediationInvitation', gsi1pk: 'T#qingshi#MEDINV#qingshi.judge', gsi1sk: `2026-12-20#m1#${NOW}` },
    });
    expect(inv.counters?.[0]?.deltas).toMatchObject({ mediation_joint: 1, mediation_invitations: 1 });
  });

  it('refuses to grow a case item past its limit', () => {
    const { stored } = taken();
    const huge: MediationCase['sessions'] = Array.from({ length: 40 }, () => ({
      on: '2026-12-05',
      place: '院落',
      attendees: ['张某'],
      notes: '长'.repeat(4000),
      level: 'courtyard' as const,
      by: 'qingshi.admin',
      at: NOW,
    }));
    expect(CASE_ITEM_LIMIT).toBeLessThan(400_000);
    const escalated = planEscalate(stored, { version: 1, reason: '上报' }, admin, NOW, { posts });
    if (!escalated.ok) throw escalated.error;
    expect(() => changes.step(escalated, stored, { ...stored, ...escalated.after, sessions: huge } as StoredCase, NOW, 0)).toThrow(
      expect.objectContaining({ code: 'mediation.case_full', status: 413 }),
    );
  });

  it('saves the settings over the defaults, then at their version', () => {
    const first = changes.settings(
      { version: 0, followUpDays: [30, 90], types: ['neighbour'] },
      { version: 1, followUpDays: [15], types: ['neighbour'] },
      NOW,
    );
    expect(first.writes[0]).toMatchObject({ kind: 'create', item: { pk: 'T#qingshi#CONFIG', sk: 'MEDIATION', type: 'MediationSettings' } });
    const next = changes.settings(
      { version: 1, followUpDays: [15], types: ['neighbour'] },
      { version: 2, followUpDays: [20], types: ['neighbour'] },
      NOW,
    );
    expect(next.writes[0]).toMatchObject({ kind: 'replace', version: 1 });
    expect(next.audit[0]).toMatchObject({ action: 'mediation.settings.change' });
  });
});
