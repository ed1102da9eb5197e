import { describe, expect, it } from 'vitest';
import type { StoredPerson } from './items';
import { tagMovesOf } from './reads';

const p = (over: Partial<StoredPerson> = {}) =>
  ({
    personId: 'p1',
    gridId: 'g1',
    householdId: 'h1',
    tags: ['elderly_alone'],
    keyTags: ['drugs'],
    status: 'active',
    ...over,
  }) as StoredPerson;

describe('tagMovesOf', () => {
  it('takes an active person’s tags from the household they leave to the one they join', () => {
    expect(tagMovesOf(undefined, p())).toEqual([{ gridId: 'g1', householdId: 'h1', tags: ['elderly_alone', 'drugs'], delta: 1 }]);
    expect(tagMovesOf(p(), p({ gridId: 'g2', householdId: 'h2', tags: [] }))).toEqual([
      { gridId: 'g1', householdId: 'h1', tags: ['elderly_alone', 'drugs'], delta: -1 },
      { gridId: 'g2', householdId: 'h2', tags: ['drugs'], delta: 1 },
    ]);
  });

  it('counts nothing for a closed record: closing takes the tags away', () => {
    expect(tagMovesOf(p(), p({ status: 'closed' }))).toEqual([
      { gridId: 'g1', householdId: 'h1', tags: ['elderly_alone', 'drugs'], delta: -1 },
    ]);
    expect(tagMovesOf(p({ status: 'closed' }), p({ status: 'closed' }))).toEqual([]);
  });
});
