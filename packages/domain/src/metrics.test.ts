import { describe, expect, it } from 'vitest';
import { DISPUTE_TYPES, MEDIATION_LEVELS } from './mediation/api';
import { computeMetrics, findMetric, METRIC_RATIOS, METRICS, ratioValue } from './metrics';

describe('the metric catalogue’s mediation entries', () => {
  it('counts each flow in total and per level, and intake per dispute type, as the rules name the counters', () => {
    const ids = METRICS.map((m) => m.id).filter((id) => id.startsWith('mediation_'));
    const expected = [
      ...['received', 'mediated', 'agreements', 'failures', 'joint'].flatMap((kind) => [
        `mediation_${kind}`,
        ...MEDIATION_LEVELS.map((l) => `mediation_${kind}_${l}`),
      ]),
      ...DISPUTE_TYPES.map((t) => `mediation_received_type_${t}`),
    ];
    expect(ids).toEqual(expected);
    for (const id of ids) {
      const m = findMetric(id);
      expect(m?.source).toEqual({ from: 'period', attribute: id });
      expect(m?.label.zh.length).toBeGreaterThan(0);
      expect(m?.label.en.length).toBeGreaterThan(0);
    }
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
  });

  it('adds the months of a period, like every flow', () => {
    const m = computeMetrics(undefined, [{ mediation_received: 2, mediation_received_town: 1 }, { mediation_received: 3 }]);
    expect(m.mediation_received).toBe(5);
    expect(m.mediation_received_town).toBe(1);
    expect(m.mediation_agreements).toBe(0);
  });

  it('derives the rates from summed counts, never below 0 or above 1, null with nothing to divide by', () => {
    const [success, joint] = METRIC_RATIOS;
    expect(success?.id).toBe('mediation_success_rate');
    expect(joint?.id).toBe('mediation_joint_share');
    const rate = (values: Record<string, unknown>) => ratioValue(success as NonNullable<typeof success>, values);
    // Two towns summed: 3 + 1 agreements, 0 + 4 failures.
    expect(rate({ mediation_agreements: 4, mediation_failures: 4 })).toBe(0.5);
    expect(rate({ mediation_agreements: 0, mediation_failures: 0 })).toBeNull();
    expect(rate({ mediation_agreements: -1, mediation_failures: 3 })).toBe(0);
    expect(rate({ mediation_agreements: '<5', mediation_failures: 3 })).toBeNull();
    expect(ratioValue(joint as NonNullable<typeof joint>, { mediation_joint: 3, mediation_received: 2 })).toBe(1);
    for (const r of METRIC_RATIOS) for (const id of [...r.numerator, ...r.denominator]) expect(findMetric(id), id).toBeDefined();
  });
});
