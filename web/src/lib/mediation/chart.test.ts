import { describe, expect, it } from 'vitest';
import { hasFigures, levelBars, ratePercent } from './chart';

const fig = (received: number, agreements: number, failures: number) => ({ received, mediated: 0, agreements, failures, joint: 0 });

describe('the month’s figures as bars', () => {
  it('draws every level in ladder order on the scale of the largest figure, a missing level as zeros', () => {
    const bars = levelBars({
      byLevel: [
        { level: 'town', ...fig(2, 1, 0) },
        { level: 'courtyard', ...fig(8, 4, 2) },
      ],
    });
    expect(bars.map((b) => b.level)).toEqual(['courtyard', 'community', 'town']);
    expect(bars[0]?.bars).toEqual([
      { series: 'received', value: 8, share: 1 },
      { series: 'agreements', value: 4, share: 0.5 },
      { series: 'failures', value: 2, share: 0.25 },
    ]);
    expect(bars[1]?.bars.map((b) => b.share)).toEqual([0, 0, 0]);
    expect(bars[2]?.bars.map((b) => b.share)).toEqual([0.25, 0.125, 0]);
  });

  it('draws no bar for a negative figure (more agreements broken than signed) and none at all for an empty month', () => {
    const bars = levelBars({ byLevel: [{ level: 'community', ...fig(0, -1, 0) }] });
    expect(bars.flatMap((b) => b.bars.map((x) => x.share))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(bars[1]?.bars[1]?.value).toBe(-1);
  });

  it('shows rates as whole percentages, null when there was nothing to divide by', () => {
    expect(ratePercent(0.666)).toBe(67);
    expect(ratePercent(1)).toBe(100);
    expect(ratePercent(0)).toBe(0);
    expect(ratePercent(null)).toBeNull();
    expect(ratePercent(Number.NaN)).toBeNull();
    expect(ratePercent(1.2)).toBe(100);
  });

  it('knows an empty month', () => {
    expect(hasFigures({ total: fig(0, 0, 0) })).toBe(false);
    expect(hasFigures({ total: fig(1, 0, 0) })).toBe(true);
  });
});
