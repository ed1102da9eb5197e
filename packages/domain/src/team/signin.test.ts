import { describe, expect, it } from 'vitest';
import { defaultSignIn, isRevoked, REVOCATION_KEEP_SECONDS, signInOf, withRevocation } from './signin';

describe('a coordinator sign-in and the revocation list', () => {
  it('names the default sign-in from the town and the record id, in lower case', () => {
    expect(defaultSignIn('qingshi', '01KBX9ZQ3N7M2A')).toBe('qingshi.01kbx9zq3n7m2a');
  });

  it('says what the directory should hold: nothing before appointment, enabled while appointed, disabled after', () => {
    const appointment = { on: '2026-12-01', gridIds: ['qs-g1'], postIds: ['mediator'], documentNo: 'x', username: 'qingshi.c1' };
    expect(signInOf({ stage: 'trained' })).toBeUndefined();
    expect(signInOf({ stage: 'appointed', appointment: { ...appointment, username: undefined } })).toBeUndefined();
    expect(signInOf({ stage: 'appointed', appointment })).toEqual({ username: 'qingshi.c1', enabled: true, gridIds: ['qs-g1'] });
    expect(signInOf({ stage: 'dismissed', appointment })).toEqual({ username: 'qingshi.c1', enabled: false, gridIds: ['qs-g1'] });
  });

  it('adds an entry, keeps the later time, and drops entries older than any live token', () => {
    const now = 1_800_000_000;
    const list = { old: now - REVOCATION_KEEP_SECONDS, recent: now - 60, 'qingshi.c1': now + 5 };
    expect(withRevocation(list, 'qingshi.c1', now)).toEqual({ recent: now - 60, 'qingshi.c1': now + 5 });
    expect(withRevocation(undefined, 'qingshi.c2', now)).toEqual({ 'qingshi.c2': now });
  });

  it('refuses tokens issued at or before the entry, or without an issue time; passes later ones and other people', () => {
    const list = { 'qingshi.c1': 100 };
    expect(isRevoked(list, 'qingshi.c1', 99)).toBe(true);
    expect(isRevoked(list, 'qingshi.c1', 100)).toBe(true);
    expect(isRevoked(list, 'qingshi.c1', undefined)).toBe(true);
    expect(isRevoked(list, 'qingshi.c1', Number.NaN)).toBe(true);
    expect(isRevoked(list, 'qingshi.c1', 101)).toBe(false);
    expect(isRevoked(list, 'qingshi.c2', 1)).toBe(false);
    expect(isRevoked(undefined, 'qingshi.c1', 1)).toBe(false);
  });
});
