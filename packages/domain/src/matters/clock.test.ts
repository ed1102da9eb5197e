import { describe, expect, it } from 'vitest';
import { CN_2026 } from '../calendar/cn-2026';
import { dueSoonLimit } from '../calendar/sla';
import { type CategorySla, DEFAULT_CATEGORIES, defaultCategorySla, planCategory } from './catalogue';
import { closeOfDay, matterClock } from './clock';
import type { Matter } from './rules';

const cal = { calendars: [CN_2026], closures: [] };
const sla: CategorySla = defaultCategorySla();
/** Friday 13 February 2026, 10:00 in China: the last working day before the Spring Festival's make-up Saturday. */
const RAISED = '2026-02-13T02:00:00.000Z';

const matter = (over: Partial<Matter> = {}): Matter => ({
  matterId: 'm1',
  townId: 'qingshi',
  version: 1,
  status: 'open',
  level: 'grid',
  levelSince: RAISED,
  categoryId: 'sanitation',
  gridId: 'g1',
  communityId: 'c1',
  description: '楼道堆物',
  reporter: { name: '李' },
  urgency: 'normal',
  channel: 'coordinator',
  attachmentIds: [],
  extensions: [],
  reopens: 0,
  duplicates: 0,
  raisedBy: 'qingshi.grid1',
  raisedAt: RAISED,
  updatedAt: RAISED,
  ...over,
});

describe('matterClock', () => {
  it('counts the accept SLA while open: one working day, and the make-up Saturday of 14 February is one', () => {
    const c = matterClock(matter(), sla, cal, RAISED);
    expect(c).toMatchObject({ kind: 'accept', due: closeOfDay('2026-02-14'), withoutCalendar: [] });
    expect(c.state).toBe('ok');
  });

  it('counts the resolve SLA once accepted, from when the matter reached the level: across the Spring Festival to 27 February', () => {
    const c = matterClock(matter({ status: 'accepted', acceptedAt: RAISED }), sla, cal, RAISED);
    // 14 (make-up Saturday), then 15–23 off, then 24, 25, 26, 27: the fifth working day.
    expect(c).toMatchObject({ kind: 'resolve', due: closeOfDay('2026-02-27') });
    expect(matterClock(matter({ status: 'accepted' }), sla, cal, '2026-02-27T10:00:00.000Z').state).toBe('red');
    // At Thursday's close one working day is left: yellow; an hour earlier it is not yet.
    expect(matterClock(matter({ status: 'accepted' }), sla, cal, '2026-02-26T09:45:00.000Z').state).toBe('yellow');
    expect(matterClock(matter({ status: 'accepted' }), sla, cal, '2026-02-26T08:00:00.000Z').state).toBe('ok');
  });

  it('stops while an extension waits, adds the waiting time back after the decision, and an approval moves the due to the day granted', () => {
    const requested = {
      level: 'grid' as const,
      until: '2026-03-10',
      reason: '等待鉴定',
      requestedBy: 'u',
      requestedAt: '2026-02-24T02:00:00.000Z',
    };
    const pending = matter({ status: 'accepted', extensions: [{ ...requested, status: 'requested' }] });
    expect(matterClock(pending, sla, cal, '2026-02-25T02:00:00.000Z')).toMatchObject({ kind: 'resolve', due: null, state: null });
    const approved = matter({
      status: 'accepted',
      extensions: [{ ...requested, status: 'approved', decidedBy: 'boss', decidedAt: '2026-02-24T06:00:00.000Z' }],
    });
    expect(matterClock(approved, sla, cal, '2026-02-25T02:00:00.000Z').due).toBe(closeOfDay('2026-03-10'));
    // A rejection adds back only the working time the request waited (10:00–14:00 China: 2.5 working
    // hours), which spill past Friday 27 February's close onto the make-up Saturday, the 28th, at 11:00.
    const rejected = matter({
      status: 'accepted',
      extensions: [{ ...requested, status: 'rejected', decidedBy: 'boss', decidedAt: '2026-02-24T06:00:00.000Z' }],
    });
    expect(matterClock(rejected, sla, cal, '2026-02-25T02:00:00.000Z').due).toBe('2026-02-28T03:00:00.000Z');
  });

  it('runs no clock for a transferred, resolved, closed or merged matter', () => {
    for (const status of ['transferred', 'resolved', 'closed', 'merged'] as const)
      expect(matterClock(matter({ status }), sla, cal, RAISED)).toEqual({ kind: null, due: null, state: null, withoutCalendar: [] });
  });

  it('says when a deadline runs through a year without its calendar (weekends only)', () => {
    const late = '2026-12-30T02:00:00.000Z';
    const c = matterClock(matter({ status: 'accepted', levelSince: late }), sla, cal, late);
    expect(c.withoutCalendar).toEqual([2027]);
    // 31 Dec, then 1, 4, 5, 6 January 2027: New Year's Day is not known without the 2027 calendar.
    expect(c.due).toBe(closeOfDay('2027-01-06'));
  });

  it('puts due-soon at one working day ahead: from Friday 13 February at 10:00, Saturday the 14th at 10:00', () => {
    expect(dueSoonLimit(RAISED, cal)).toBe('2026-02-14T02:00:00.000Z');
  });
});

describe('planCategory', () => {
  const NOW = '2026-12-06T01:00:00.000Z';
  const body = { label: { zh: '环境卫生', en: 'Sanitation' }, sla, inUse: true };
  it('adds a category at version 1 and keeps its first save as history', () => {
    const p = planCategory('sanitation', body, undefined, 'qingshi.admin', NOW);
    expect(p).toMatchObject({ ok: true, after: { version: 1, updatedBy: 'qingshi.admin' }, change: { version: 1 } });
    expect(p.ok && p.change.before).toBeUndefined();
  });
  it('changes one at the version read, keeping before and after; refuses a stale version, a new one over an old one, a change to nothing', () => {
    const first = planCategory('sanitation', body, undefined, 'a', NOW);
    if (!first.ok) throw new Error('expected a plan');
    const next = planCategory('sanitation', { ...body, inUse: false, version: 1 }, first.after, 'b', NOW);
    expect(next).toMatchObject({ ok: true, after: { version: 2, inUse: false }, change: { before: { version: 1 } } });
    expect(planCategory('sanitation', { ...body, version: 3 }, first.after, 'b', NOW)).toMatchObject({ ok: false, status: 409 });
    expect(planCategory('sanitation', body, first.after, 'b', NOW)).toMatchObject({ ok: false, code: 'matter.category_exists' });
    expect(planCategory('nope', { ...body, version: 1 }, undefined, 'b', NOW)).toMatchObject({ ok: false, status: 404 });
  });
  it('starts every town with six categories, safety hazards on hours', () => {
    expect(DEFAULT_CATEGORIES.map((c) => c.categoryId)).toEqual(['city', 'sanitation', 'safety', 'dispute', 'service', 'other']);
    expect(DEFAULT_CATEGORIES.find((c) => c.categoryId === 'safety')?.sla.grid.accept).toEqual({ unit: 'working_hours', amount: 2 });
  });
});
