import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import {
  diversionRefusal,
  escalationRefusal,
  holdsPost,
  isAboveLevel,
  MEDIATION_REFUSALS,
  mayEscalate,
  mediationRefusal,
  mediatorsOf,
  nextLevel,
  placeOf,
} from './ladder';
import { POSTS, P } from './testing/town';

const place = { gridId: 'g1', communityId: 'c1' };

describe('the mediation ladder', () => {
  it('climbs courtyard → community → town, and stops there', () => {
    expect(nextLevel('courtyard')).toBe('community');
    expect(nextLevel('community')).toBe('town');
    expect(nextLevel('town')).toBeUndefined();
    expect(isAboveLevel('town', 'courtyard')).toBe(true);
    expect(isAboveLevel('courtyard', 'community')).toBe(false);
  });

  it('lets an open case below the town climb', () => {
    expect(escalationRefusal({ status: 'open', level: 'courtyard' })).toBeUndefined();
    expect(mayEscalate({ status: 'open', level: 'community' })).toBe(true);
    expect(escalationRefusal({ status: 'open', level: 'town' })).toBe('mediation.top_level');
    expect(escalationRefusal({ status: 'closed', level: 'courtyard' })).toBe('mediation.closed');
    expect(escalationRefusal({ status: 'failed', level: 'town' })).toBe('mediation.closed');
    expect(escalationRefusal({ status: 'agreed', level: 'courtyard' })).toBe('mediation.wrong_status');
  });

  it('diverts at intake to any level, with a reason past the courtyard', () => {
    expect(diversionRefusal('courtyard', undefined)).toBeUndefined();
    expect(diversionRefusal('community', '跨院落')).toBeUndefined();
    expect(diversionRefusal('town', undefined)).toBe('mediation.reason_required');
    expect(diversionRefusal('town', '  ')).toBe('mediation.reason_required');
  });

  it('finds who mediates a level at its place', () => {
    expect(placeOf('courtyard', place)).toBe('g1');
    expect(placeOf('community', place)).toBe('c1');
    expect(placeOf('town', place)).toBe('TOWN');
    expect(mediatorsOf(POSTS, 'courtyard', place)).toEqual([P.medG1.username]);
    expect(mediatorsOf(POSTS, 'community', place)).toEqual([P.medC1.username, P.staffC1.username]);
    expect(mediatorsOf(POSTS, 'courtyard', { gridId: 'g3', communityId: 'c2' })).toEqual([]);
    expect(mediatorsOf([...POSTS, { level: 'town', place: 'TOWN', usernames: [P.medTown.username] }], 'town', place)).toEqual([
      P.medTown.username,
    ]);
    expect(holdsPost(POSTS, P.medTown.username, 'town', place)).toBe(true);
    expect(holdsPost(POSTS, P.medTown.username, 'community', place)).toBe(false);
  });

  it('refuses with AppErrors of stable codes', () => {
    for (const code of Object.keys(MEDIATION_REFUSALS) as (keyof typeof MEDIATION_REFUSALS)[]) {
      const e = mediationRefusal(code);
      expect(isAppError(e)).toBe(true);
      expect(e.code).toBe(code);
      expect(e.status).toBe(MEDIATION_REFUSALS[code].status);
      expect(e.expose).toBe(true);
    }
    expect(mediationRefusal('mediation.version_conflict', { current: { v: 2 }, field: 'version' })).toMatchObject({
      current: { v: 2 },
      field: 'version',
    });
  });
});
