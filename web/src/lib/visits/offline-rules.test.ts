import {
  VISIT_CHECKS as DOMAIN_CHECKS,
  VISIT_KINDS as DOMAIN_KINDS,
  VISITS_READ as DOMAIN_READ,
  VISITS_WRITE as DOMAIN_WRITE,
  VISIT_FLAGS,
} from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { VISIT_CHECKS, checksFor } from './checks';
import { cacheName, householdsToCache, isFresh, MAX_CACHED_HOUSEHOLDS, maskNote, mayCacheGrid, OFFLINE_TTL_MS } from './offline-rules';
import { VISITS_READ, VISITS_WRITE } from './roles';
import { type DueHousehold, VISIT_KINDS, type VisitFlag } from './types';

const household = (i: number, gridId = 'g1'): DueHousehold => ({
  householdId: `h${i}`,
  gridId,
  communityId: 'c1',
  door: `${i}号`,
  cycleDays: 30,
  drivenBy: [],
  due: '2026-12-06',
  overdueDays: 0,
  version: 1,
});

describe('what the device keeps for offline use', () => {
  it('keeps things three days, then not', () => {
    const now = Date.UTC(2026, 11, 6);
    expect(OFFLINE_TTL_MS).toBe(3 * 24 * 3600 * 1000);
    expect(isFresh(now, now)).toBe(true);
    expect(isFresh(now - OFFLINE_TTL_MS + 1, now)).toBe(true);
    expect(isFresh(now - OFFLINE_TTL_MS, now)).toBe(false);
    // A clock put back does not make a copy from the future live for ever.
    expect(isFresh(now + 3_600_000, now)).toBe(false);
  });

  it('keeps only a coordinator’s own grids', () => {
    expect(mayCacheGrid('grid_coordinator', ['g1'], 'g1')).toBe(true);
    expect(mayCacheGrid('grid_coordinator', ['g1'], 'g2')).toBe(false);
    expect(mayCacheGrid('community_staff', ['g1'], 'g1')).toBe(false);
    expect(mayCacheGrid('town_admin', [], 'g1')).toBe(false);
    const list = [household(1), household(2, 'g2'), household(3)];
    expect(householdsToCache('grid_coordinator', ['g1'], list).map((h) => h.householdId)).toEqual(['h1', 'h3']);
    expect(householdsToCache('community_staff', ['g1'], list)).toEqual([]);
    const long = Array.from({ length: 80 }, (_, i) => household(i));
    expect(householdsToCache('grid_coordinator', ['g1'], long)).toHaveLength(MAX_CACHED_HOUSEHOLDS);
  });

  it('names what it keeps by ids only', () => {
    expect(cacheName.due('g1')).toBe('due:g1');
    expect(cacheName.household('g1', 'h1')).toBe('household:g1:h1');
  });

  it('masks ID numbers and mobile numbers in a note before keeping it', () => {
    const note = '户主身份证330501199001011234，手机13812345678，固话0571-88886666，门牌12号';
    const masked = maskNote(note);
    expect(masked).not.toContain('330501199001011234');
    expect(masked).not.toContain('13812345678');
    expect(masked).toContain('3305**********1234');
    expect(masked).toContain('138****5678');
    expect(masked).toContain('门牌12号');
    expect(maskNote(masked)).toBe(masked);
    expect(maskNote('33050119900101123X')).toBe('3305**********123X');
  });
});

describe('the visit checklists', () => {
  it('has each kind’s list, and drops ticks that do not belong to a new kind', () => {
    expect(VISIT_CHECKS.routine).toEqual(['safety_hazard', 'needs_help', 'conflict', 'info_changed', 'absent']);
    expect(checksFor('key_group', ['needs_help', 'conflict', 'not_at_home'])).toEqual(['needs_help', 'not_at_home']);
  });
});

describe('the web copies of the server’s visit vocabulary', () => {
  it('are the domain’s: kinds, checklists, flags, who reads and who records', () => {
    expect([...VISIT_KINDS]).toEqual([...DOMAIN_KINDS]);
    expect(VISIT_CHECKS).toEqual(DOMAIN_CHECKS);
    expect(VISITS_READ).toEqual(DOMAIN_READ);
    expect(VISITS_WRITE).toEqual(DOMAIN_WRITE);
    const flags: VisitFlag[] = [...VISIT_FLAGS];
    expect(flags).toEqual(['household_changed', 'household_closed']);
  });
});
