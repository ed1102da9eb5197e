import { describe, expect, it } from 'vitest';
import { cellText, changeText, changeTone, kindOf, periodLabel, periodTick, ratioOf, ratioText, reportAt } from './format';

describe('the county dashboard formats', () => {
  it('tells the kind of a period id, and nothing else', () => {
    expect(kindOf('2026-11-27')).toBe('day');
    expect(kindOf('2026-11')).toBe('month');
    expect(kindOf('2026-Q4')).toBe('quarter');
    for (const bad of ['', '2026', '2026-Q5', '2026-1', 'x2026-11', '2026-11-27T00']) expect(kindOf(bad)).toBeUndefined();
  });

  it('names periods in Chinese and in English', () => {
    expect(periodLabel('2026-11', 'zh-CN')).toBe('2026年11月');
    expect(periodLabel('2026-11', 'en')).toBe('Nov 2026');
    expect(periodLabel('2026-Q4', 'zh-CN')).toBe('2026年第四季度');
    expect(periodLabel('2026-Q1', 'en')).toBe('Q1 2026');
    expect(periodLabel('2026-11-27', 'zh-CN')).toBe('2026年11月27日');
    expect(periodLabel('2026-11-27', 'en')).toBe('Nov 27, 2026');
  });

  it('keeps axis ticks short but never ambiguous about the year', () => {
    expect(periodTick('2026-03', 'zh-CN')).toBe('3月');
    expect(periodTick('2026-01', 'zh-CN')).toBe('2026 1月');
    expect(periodTick('2025-12', 'en', true)).toBe('2025 Dec');
    expect(periodTick('2026-Q4', 'en')).toBe('26 Q4');
    expect(periodTick('2026-11-27', 'en')).toBe('11-27');
  });

  it('writes changes with their sign and a true minus, and passes "<5" through', () => {
    expect(changeText(12)).toBe('+12');
    expect(changeText(-3)).toBe('−3');
    expect(changeText(0)).toBe('0');
    expect(changeText(1234)).toBe('+1,234');
    expect(changeText('<5')).toBe('<5');
    expect(changeText(null)).toBe('—');
    expect(changeTone(5)).toBe('up');
    expect(changeTone(-5)).toBe('down');
    expect(changeTone(0)).toBe('flat');
    expect(changeTone('<5')).toBe('flat');
    expect(cellText(4000)).toBe('4,000');
    expect(cellText('<5')).toBe('<5');
    expect(cellText(undefined)).toBe('—');
  });

  it('reads what the reports page shows from its address, with months and people by default', () => {
    const at = (q: string) => reportAt(new URLSearchParams(q));
    expect(at('')).toEqual({ period: null, kind: 'month', metric: 'people', townId: null });
    expect(at('period=2026-Q4&kind=day&metric=households&town=qingshi')).toEqual({
      period: '2026-Q4',
      kind: 'quarter',
      metric: 'households',
      townId: 'qingshi',
    });
    expect(at('period=2026-13x&kind=day')).toEqual({ period: null, kind: 'day', metric: 'people', townId: null });
    expect(at('kind=year&metric=')).toEqual({ period: null, kind: 'month', metric: 'people', townId: null });
  });

  it('derives a rate from a row’s summed counts, never from hidden or missing ones', () => {
    const success = { numerator: ['mediation_agreements'], denominator: ['mediation_agreements', 'mediation_failures'] };
    expect(ratioOf(success, { mediation_agreements: 3, mediation_failures: 1 })).toBe(0.75);
    expect(ratioOf(success, { mediation_agreements: 0, mediation_failures: 0 })).toBeNull();
    expect(ratioOf(success, { mediation_agreements: '<5', mediation_failures: 1 })).toBeNull();
    expect(ratioOf(success, { mediation_failures: 1 })).toBeNull();
    expect(ratioOf(success, null)).toBeNull();
    // A month whose broken agreements outnumber new ones counts agreements below zero: no rate below 0.
    expect(ratioOf(success, { mediation_agreements: -1, mediation_failures: 2 })).toBe(0);
    expect(ratioOf({ numerator: ['j'], denominator: ['r'] }, { j: 3, r: 2 })).toBe(1);
    expect(ratioText(0.75, 'en')).toBe('75%');
    expect(ratioText(2 / 3, 'zh-CN')).toBe('67%');
    expect(ratioText(null, 'en')).toBe('—');
  });
});
