import { describe, expect, it } from 'vitest';
import { colourOf, NO_PEOPLE, shareOf } from './shares';

const counts = { households: 10, people: 30, floating: 6, special: 3 };

describe('map shares', () => {
  it('colours by the share of people in a group, nothing where nobody lives', () => {
    expect(shareOf(counts, 'special')).toBeCloseTo(0.1);
    expect(shareOf(counts, 'floating')).toBeCloseTo(0.2);
    expect(shareOf({ ...counts, people: 0 }, 'special')).toBeNull();
  });

  it('colours by the share of households overdue for a visit, from the grid’s visit counters', () => {
    expect(shareOf({ ...counts, visitHouseholds: 40, visitOverdue: 10 }, 'overdue')).toBeCloseTo(0.25);
    expect(shareOf({ ...counts, visitHouseholds: 40, visitOverdue: 0 }, 'overdue')).toBe(0);
    // A courtyard carries no visit counts, and a grid with no counted household has no share.
    expect(shareOf(counts, 'overdue')).toBeNull();
    expect(colourOf(shareOf(counts, 'overdue'), 'overdue')).toBe(NO_PEOPLE);
    // Counters that drift past their stock never colour past the top class.
    expect(shareOf({ ...counts, visitHouseholds: 2, visitOverdue: 3 }, 'overdue')).toBe(1);
    expect(colourOf(0.5, 'overdue')).not.toBe(colourOf(0.01, 'overdue'));
  });
});
