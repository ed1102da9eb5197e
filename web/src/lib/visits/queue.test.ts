import { describe, expect, it } from 'vitest';
import { afterAnswer, isRetryable, type QueuedVisit, queued, retried, sendable, summarize, visitedOn } from './queue';
import type { NewVisit, VisitView } from './types';

const visit = (id: string, householdId = 'h1', visitedAt = '2026-12-06T02:00:00.000Z'): NewVisit => ({
  visitId: id,
  gridId: 'g1',
  householdId,
  visitedAt,
  kind: 'routine',
  seen: [],
  checks: [],
});
const stored = (v: NewVisit, flags: VisitView['flags'] = []): VisitView => ({
  ...v,
  on: '2026-12-06',
  by: 'qingshi.grid1',
  recordedAt: v.visitedAt,
  flags,
  due: '2027-01-05',
  replayed: false,
});
const at = new Date('2026-12-06T02:00:00.000Z');

describe('the offline visit queue', () => {
  it('drops a visit the server stored without a flag', () => {
    const e = queued(visit('V1'), at);
    expect(e).toMatchObject({ state: 'pending', attempts: 0 });
    expect(afterAnswer(e, { ok: stored(e.visit) })).toEqual({ next: null, stop: false });
  });

  it('keeps a visit stored with a flag, flagged, never dropped', () => {
    const e = queued(visit('V1'), at);
    const { next, stop } = afterAnswer(e, { ok: stored(e.visit, ['household_changed']) });
    expect(stop).toBe(false);
    expect(next).toMatchObject({ state: 'flagged', flags: ['household_changed'], due: '2027-01-05' });
    expect(afterAnswer(e, { ok: stored(e.visit, ['household_closed']) }).next?.flags).toEqual(['household_closed']);
  });

  it('keeps a visit pending and stops the run when the network or the server is not there', () => {
    const e = queued(visit('V1'), at);
    for (const error of [
      { status: 0, code: 'network' },
      { status: 503, code: 'internal' },
      { status: 500, code: 'internal' },
      { status: 429, code: 'data.throttled' },
      { status: 401, code: 'auth.unauthorized' },
    ]) {
      expect(isRetryable(error)).toBe(true);
      expect(afterAnswer(e, { error })).toEqual({ next: { ...e, attempts: 1 }, stop: true });
    }
  });

  it('keeps a visit the server refused for good, failed with the reason, and goes on with the next', () => {
    const e = queued(visit('V1'), at);
    const error = { status: 400, code: 'validation.failed' };
    expect(isRetryable(error)).toBe(false);
    const { next, stop } = afterAnswer(e, { error });
    expect(stop).toBe(false);
    expect(next).toMatchObject({ state: 'failed', attempts: 1, error });
    // Retried by hand: pending again, the reason gone.
    const again = retried(next as QueuedVisit);
    expect(again.state).toBe('pending');
    expect(again.error).toBeUndefined();
    expect(isRetryable({ status: 403, code: 'auth.forbidden' })).toBe(false);
    expect(isRetryable({ status: 409, code: 'conflict' })).toBe(false);
  });

  it('sends pending visits oldest first, and only those', () => {
    const a = queued(visit('A'), new Date('2026-12-06T03:00:00Z'));
    const b = queued(visit('B'), new Date('2026-12-06T01:00:00Z'));
    const c = { ...queued(visit('C'), new Date('2026-12-06T00:00:00Z')), state: 'failed' as const };
    const d = { ...queued(visit('D'), new Date('2026-12-06T00:30:00Z')), state: 'flagged' as const };
    expect(sendable([a, b, c, d]).map((e) => e.visit.visitId)).toEqual(['B', 'A']);
    expect(summarize([a, b, c, d])).toEqual({ waiting: 2, flagged: [d], failed: [c] });
  });

  it('knows the households visited on a day, leaving out failed visits', () => {
    const dayOf = (iso: string) => iso.slice(0, 10);
    const entries = [
      queued(visit('A', 'h1'), at),
      { ...queued(visit('B', 'h2'), at), state: 'failed' as const },
      { ...queued(visit('C', 'h3'), at), state: 'flagged' as const },
      queued(visit('D', 'h4', '2026-12-05T02:00:00.000Z'), at),
    ];
    expect([...visitedOn(entries, '2026-12-06', dayOf)].sort()).toEqual(['h1', 'h3']);
  });
});
