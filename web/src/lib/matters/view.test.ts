import { describe, expect, it } from 'vitest';
import { boardBars, chinaTime, eventFacts, percent } from './view';

describe('how matters read', () => {
  it('shows times on the China clock', () => {
    expect(chinaTime('2026-12-06T09:30:00.000Z', 'en')).toContain('17:30');
    expect(chinaTime('2026-12-06T16:05:00.000Z', 'zh-CN')).toContain('00:05');
  });

  it("lists an entry's facts in a fixed order, leaving out empty and structured ones", () => {
    const details = { actingLevel: 'grid', to: 'community', from: 'grid', reason: '需协调', extra: { a: 1 }, note: '' };
    expect(eventFacts({ details })).toEqual([
      ['reason', '需协调'],
      ['from', 'grid'],
      ['to', 'community'],
    ]);
  });

  it("shows a supervision entry's colour and due", () => {
    expect(eventFacts({ details: { state: 'red', due: '2026-12-07T09:30:00.000Z' } })).toEqual([
      ['state', 'red'],
      ['due', '2026-12-07T09:30:00.000Z'],
    ]);
  });

  it("scales the board's bars to the largest count", () => {
    const bars = boardBars([
      { level: 'grid', open: 4, accepted: 2, yellow: 1, red: 0 },
      { level: 'town', open: 0, accepted: 0, yellow: 0, red: 2 },
    ]);
    expect(bars[0]?.bars.map((b) => b.share)).toEqual([1, 0.5, 0.25, 0]);
    expect(bars[1]?.bars.find((b) => b.series === 'red')).toEqual({ series: 'red', value: 2, share: 0.5 });
    expect(boardBars([{ level: 'grid', open: 0, accepted: 0, yellow: 0, red: 0 }])[0]?.bars.every((b) => b.share === 0)).toBe(true);
    expect([percent(1, 3), percent(0, 0)]).toEqual([33, null]);
  });
});
