import { describe, expect, it } from 'vitest';
import * as z from '../common/zod';
import {
  escalateSchema,
  followUpDaysSchema,
  followUpSchema,
  invitationSchema,
  mediationCaseSchema,
  mediationIntakeSchema,
  outcomeSchema,
  partySchema,
  sessionSchema,
} from './api';
import { caseView } from './rules';
import { intake, taken } from './testing/town';

const ok = (schema: z.ZodMiniType, v: unknown) => z.safeParse(schema, v).success;
const issuePaths = (schema: z.ZodMiniType, v: unknown) => (z.safeParse(schema, v).error?.issues ?? []).map((i) => i.path.join('.'));

describe('mediation schemas', () => {
  it('take a plain intake', () => {
    expect(ok(mediationIntakeSchema, intake())).toBe(true);
  });

  it('want 2 to 10 parties', () => {
    expect(ok(mediationIntakeSchema, intake({ parties: [{ name: '张三' }] }))).toBe(false);
    expect(ok(mediationIntakeSchema, intake({ parties: Array.from({ length: 10 }, (_, i) => ({ name: `人${i}` })) }))).toBe(true);
    expect(ok(mediationIntakeSchema, intake({ parties: Array.from({ length: 11 }, (_, i) => ({ name: `人${i}` })) }))).toBe(false);
  });

  it('take a party of the book or from outside, nothing in between', () => {
    expect(ok(partySchema, { gridId: 'g1', householdId: 'h1', personId: 'p1' })).toBe(true);
    expect(ok(partySchema, { name: '李四', phone: '13800138000' })).toBe(true);
    expect(ok(partySchema, { gridId: 'g1', personId: 'p1' })).toBe(false);
    expect(ok(partySchema, { name: '李四', personId: 'p1' })).toBe(false);
    expect(ok(partySchema, { name: '' })).toBe(false);
  });

  it('want a reason for a high risk', () => {
    expect(issuePaths(mediationIntakeSchema, intake({ risk: { level: 'high' } }))).toEqual(['risk.reason']);
    expect(ok(mediationIntakeSchema, intake({ risk: { level: 'high', reason: '双方曾动手' } }))).toBe(true);
    expect(ok(mediationIntakeSchema, intake({ risk: { level: 'medium' } }))).toBe(true);
  });

  it('want a reason for diversion above the courtyard', () => {
    expect(issuePaths(mediationIntakeSchema, intake({ level: 'town' }))).toEqual(['diversionReason']);
    expect(ok(mediationIntakeSchema, intake({ level: 'town', diversionReason: '涉及多个社区' }))).toBe(true);
  });

  it('refuse unknown types, levels and fields', () => {
    expect(ok(mediationIntakeSchema, { ...intake(), type: 'murder' })).toBe(false);
    expect(ok(mediationIntakeSchema, { ...intake(), level: 'county' })).toBe(false);
    expect(ok(mediationIntakeSchema, { ...intake(), extra: 1 })).toBe(false);
  });

  it('take each step', () => {
    expect(ok(escalateSchema, { version: 1, reason: '院落调解未果' })).toBe(true);
    expect(ok(escalateSchema, { version: 0, reason: '院落调解未果' })).toBe(false);
    expect(ok(sessionSchema, { version: 1, on: '2026-12-05', place: '社区会议室', attendees: ['张三', '李四'], notes: '双方陈述' })).toBe(
      true,
    );
    expect(ok(sessionSchema, { version: 1, on: '2026-13-05', place: '社区会议室', attendees: ['张三'], notes: 'x' })).toBe(false);
    expect(ok(sessionSchema, { version: 1, on: '2026-12-05', place: '社区会议室', attendees: [], notes: 'x' })).toBe(false);
    expect(ok(outcomeSchema, { version: 2, agreement: { facts: '漏水', terms: ['维修'], signedOn: '2026-12-05' } })).toBe(true);
    expect(ok(outcomeSchema, { version: 2, agreement: { facts: '漏水', terms: [], signedOn: '2026-12-05' } })).toBe(false);
    expect(ok(outcomeSchema, { version: 2, agreement: { facts: '漏水', terms: Array(21).fill('条款'), signedOn: '2026-12-05' } })).toBe(
      false,
    );
    expect(ok(outcomeSchema, { version: 2, failure: { referral: 'litigation', reason: '一方拒绝' } })).toBe(true);
    expect(ok(outcomeSchema, { version: 2, failure: { referral: 'police', reason: '一方拒绝' } })).toBe(false);
    expect(ok(outcomeSchema, { version: 2 })).toBe(false);
    expect(ok(followUpSchema, { version: 3, holds: true, note: '已履行' })).toBe(true);
    expect(ok(invitationSchema, { version: 1, role: 'judge', name: '王法官', until: '2026-12-31' })).toBe(true);
    expect(ok(invitationSchema, { version: 1, role: 'lawyer', name: '王', until: '2026-12-31' })).toBe(false);
    expect(ok(followUpDaysSchema, [30, 90])).toBe(true);
    expect(ok(followUpDaysSchema, [])).toBe(false);
    expect(ok(followUpDaysSchema, [0])).toBe(false);
  });

  it('describe the case the rules make, without the ID hashes', () => {
    const view = caseView(taken(), ['high_risk']);
    expect(ok(mediationCaseSchema, view)).toBe(true);
    expect(view).not.toHaveProperty('partyKeys');
    expect(JSON.stringify(view)).not.toContain('110101199001011234');
  });
});
