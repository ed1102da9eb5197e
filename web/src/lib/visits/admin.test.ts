import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '@gridline/domain';
import {
  canDecideCorrections,
  canEditCycles,
  canSeeCoverage,
  coverageBars,
  cyclesDiff,
  cyclesForm,
  decisionBody,
  historyLines,
  jobRunning,
  jobShare,
  parseCycles,
  sharePercent,
  totalRow,
} from './admin';

const row = (placeId: string, households: number, overdue: number): CoverageRow => ({
  placeId,
  placeKind: 'community',
  households,
  overdue,
  covered: households - overdue,
  share: households === 0 ? 1 : 1 - overdue / households,
});

describe('who sees what', () => {
  it('lets only town admins change cycles, and staff decide corrections', () => {
    expect(canEditCycles('town_admin')).toBe(true);
    expect(canEditCycles('community_staff')).toBe(false);
    expect(canSeeCoverage('community_staff')).toBe(true);
    expect(canSeeCoverage('grid_coordinator')).toBe(true);
    expect(canSeeCoverage('mediator')).toBe(false);
    expect(canDecideCorrections('community_staff')).toBe(true);
    expect(canDecideCorrections('grid_coordinator')).toBe(false);
    expect(canDecideCorrections('auditor')).toBe(false);
  });
});

describe('the cycles form', () => {
  const tags = ['elderly_alone', 'disabled', 'released_prisoner'];
  it('round-trips the cycles, a tag without its own cycle as an empty field', () => {
    const form = cyclesForm({ householdDays: 30, byTag: { elderly_alone: 7, disabled: 14 } }, tags);
    expect(form).toEqual({ householdDays: '30', byTag: { elderly_alone: '7', disabled: '14', released_prisoner: '' } });
    expect(parseCycles(form)).toEqual({ ok: true, cycles: { householdDays: 30, byTag: { elderly_alone: 7, disabled: 14 } } });
  });
  it('refuses blanks, fractions and days out of bounds, field by field', () => {
    expect(parseCycles({ householdDays: ' ', byTag: { elderly_alone: '3.5', disabled: '0', released_prisoner: '366' } })).toEqual({
      ok: false,
      errors: { householdDays: 'required', byTag: { elderly_alone: 'whole', disabled: 'range', released_prisoner: 'range' } },
    });
    expect(parseCycles({ householdDays: '-3', byTag: {} })).toEqual({ ok: false, errors: { householdDays: 'whole', byTag: {} } });
    expect(parseCycles({ householdDays: '365', byTag: { elderly_alone: '1' } }).ok).toBe(true);
  });
  it('refuses a tag cycle longer than the household cycle (it would never apply); as long is fine', () => {
    expect(parseCycles({ householdDays: '14', byTag: { elderly_alone: '7', disabled: '14', released_prisoner: '30' } })).toEqual({
      ok: false,
      errors: { byTag: { released_prisoner: 'longer' } },
    });
  });
});

describe('what a save changed', () => {
  it('lists the household cycle, then tags in the editor order, added and removed', () => {
    const before = { householdDays: 30, byTag: { elderly_alone: 7, disabled: 14, zz: 5 } };
    const after = { householdDays: 21, byTag: { elderly_alone: 3, released_prisoner: 10, zz: 5 } };
    expect(cyclesDiff(before, after, ['released_prisoner', 'elderly_alone'])).toEqual([
      { what: 'household', from: 30, to: 21 },
      { what: 'tag', tag: 'released_prisoner', to: 10 },
      { what: 'tag', tag: 'elderly_alone', from: 7, to: 3 },
      { what: 'tag', tag: 'disabled', from: 14 },
    ]);
    expect(cyclesDiff(before, before)).toEqual([]);
  });
  it('reads the history newest first, each entry against the one before it', () => {
    const lines = historyLines([
      { version: 1, householdDays: 30, byTag: { elderly_alone: 7 } },
      { version: 3, householdDays: 30, byTag: { elderly_alone: 3 } },
      { version: 2, householdDays: 30, byTag: { elderly_alone: 5 } },
    ]);
    expect(lines.map((l) => l.entry.version)).toEqual([3, 2, 1]);
    expect(lines[0]?.changes).toEqual([{ what: 'tag', tag: 'elderly_alone', from: 5, to: 3 }]);
    expect(lines[2]?.changes).toBeNull();
  });
  it('compares the first save with the cycles the town started with, when known', () => {
    const first = { version: 1, householdDays: 30, byTag: { elderly_alone: 5 } };
    expect(historyLines([first], [], { householdDays: 30, byTag: { elderly_alone: 7 } })[0]?.changes).toEqual([
      { what: 'tag', tag: 'elderly_alone', from: 7, to: 5 },
    ]);
    // A later save with its predecessor out of the list is shown whole.
    expect(historyLines([{ ...first, version: 4 }], [], { householdDays: 30, byTag: {} })[0]?.changes).toBeNull();
  });
});

describe('coverage bars', () => {
  it('puts the least covered first, on a scale of 0–100%', () => {
    const bars = coverageBars([row('a', 100, 10), row('b', 50, 25), row('c', 0, 0), row('d', 40, 20)]);
    expect(bars.map((b) => [b.placeId, b.percent, b.width])).toEqual([
      ['b', 50, 0.5],
      ['d', 50, 0.5],
      ['a', 90, 0.9],
      ['c', 100, 1],
    ]);
  });
  it('rounds down, so only a place with nothing overdue reads 100%, and keeps a sliver for a tiny share', () => {
    expect(sharePercent(999 / 1000)).toBe(99);
    expect(sharePercent(1)).toBe(100);
    expect(sharePercent(0.29)).toBe(29);
    expect(coverageBars([row('x', 1000, 999)])[0]?.width).toBe(0.01);
    expect(coverageBars([row('x', 10, 10)])[0]?.width).toBe(0);
  });
});

describe('a community from its grids', () => {
  it('sums the counts, fully covered when it has no households', () => {
    expect(totalRow('c', 'community', [row('a', 100, 10), row('b', 50, 25)])).toEqual({
      placeId: 'c',
      placeKind: 'community',
      households: 150,
      overdue: 35,
      covered: 115,
      share: 115 / 150,
    });
    expect(totalRow('c', 'community', [row('a', 0, 0)]).share).toBe(1);
  });
});

describe('the recompute job', () => {
  it('runs while queued or running, with a share once its total is known', () => {
    expect(jobRunning('queued')).toBe(true);
    expect(jobRunning('done')).toBe(false);
    expect(jobShare({ done: 0, total: 0 })).toBeNull();
    expect(jobShare({ done: 5, total: 20 })).toBe(0.25);
  });
});

describe('a decision on a correction', () => {
  it('accepts at the version read, and refuses a rejection without a reason', () => {
    expect(decisionBody({ version: 4 }, 'accept')).toEqual({ ok: true, body: { version: 4, decision: 'accept' } });
    expect(decisionBody({ version: 4 }, 'reject', '   ')).toEqual({ ok: false, error: 'required' });
    expect(decisionBody({ version: 4 }, 'reject', ' 号码已停机 ')).toEqual({
      ok: true,
      body: { version: 4, decision: 'reject', reason: '号码已停机' },
    });
  });
});
