import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { newId } from './ids';
import { formatScope, parseScope, principalFromClaims } from './principal';

const base = { sub: 'u-1', 'cognito:username': 'someone', token_use: 'id' };

describe('principalFromClaims', () => {
  it('makes a town principal with its scope', () => {
    const p = principalFromClaims({
      ...base,
      'custom:role': 'grid_coordinator',
      'custom:town': 'qingshi',
      'custom:scope': 'community:c1 grid:g1 grid:g2',
    });
    expect(p).toEqual({
      kind: 'town',
      role: 'grid_coordinator',
      townId: 'qingshi',
      userId: 'u-1',
      username: 'someone',
      scope: { communities: ['c1'], grids: ['g1', 'g2'] },
    });
  });

  it('makes a county principal without a town', () => {
    expect(principalFromClaims({ ...base, 'custom:role': 'county_admin' })).toMatchObject({ kind: 'county', role: 'county_admin' });
  });

  it.each([
    ['a county account that names a town', { ...base, 'custom:role': 'county_admin', 'custom:town': 'qingshi' }],
    ['a town account without a town', { ...base, 'custom:role': 'town_admin' }],
    ['an unknown role', { ...base, 'custom:role': 'root', 'custom:town': 'qingshi' }],
    ['an access token', { ...base, token_use: 'access', 'custom:role': 'town_admin', 'custom:town': 'qingshi' }],
    ['a town id that could break a key', { ...base, 'custom:role': 'town_admin', 'custom:town': 'qingshi#x' }],
  ])('refuses %s with 403', (_name, claims) => {
    const attempt = () => principalFromClaims(claims);
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (e) {
      expect((e as AppError).status).toBe(403);
      expect((e as AppError).code).toBe('auth.claims_invalid');
    }
  });

  it('round-trips the scope claim', () => {
    const scope = { communities: ['a', 'b'], grids: ['g'] };
    expect(parseScope(formatScope(scope))).toEqual(scope);
    expect(parseScope(undefined)).toEqual({ communities: [], grids: [] });
  });
});

describe('newId', () => {
  it('sorts by time and is key-safe', () => {
    const a = newId(1_700_000_000_000);
    const b = newId(1_700_000_000_001);
    expect(a < b).toBe(true);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
