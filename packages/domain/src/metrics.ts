import * as z from './common/zod';
import { DEFAULT_KEY_GROUPS, DEFAULT_SPECIAL_GROUPS, type Label } from './defaults';
import type { DisputeType, MediationLevel } from './mediation/api';
import { RESIDENCE_TYPES } from './rules';

/**
 * Where a metric's value comes from. Only maintained counters, never records:
 *   - `town`: the sum of the named attributes of the town's `COUNT`/`TOWN` item (a stock, read when the
 *     rollup runs), times the attribute `times` when it names one (communities × posts in use), less
 *     the sum of the `minus` attributes when it names some (a gap: grids less those with a responsible
 *     coordinator);
 *   - `period`: the sum of one attribute of the town's `COUNT`/`MONTH#<yyyy-mm>` items of the period's
 *     months (a flow). A day has no counter of its own: a daily rollup shows the month to date of the
 *     day's month, as the counter stood when the rollup ran.
 */
export type MetricSource =
  | { from: 'town'; attributes: readonly string[]; times?: string; minus?: readonly string[] }
  | { from: 'period'; attribute: string };

export type MetricDef = {
  id: string;
  label: Label;
  source: MetricSource;
  kind: 'count';
  /** Counts of people with a sensitive trait (key groups): shown to the county as one total only. */
  sensitive?: boolean;
};

const RESIDENCE_LABELS: Record<(typeof RESIDENCE_TYPES)[number], Label> = {
  registered: { zh: '户籍人口', en: 'Registered residents' },
  permanent: { zh: '常住人口', en: 'Permanent residents' },
  floating: { zh: '流动人口', en: 'Floating population' },
};

const town = (id: string, label: Label, attributes: readonly string[] = [id], extra: Partial<MetricDef> = {}): MetricDef => ({
  id,
  label,
  source: { from: 'town', attributes },
  kind: 'count',
  ...extra,
});

function mediationMetrics(): MetricDef[] {
  const period = (id: string, zh: string, en: string): MetricDef => ({
    id,
    label: { zh, en },
    source: { from: 'period', attribute: id },
    kind: 'count',
  });
  // Keyed by the types alone (no value of mediation/api, whose schemas a county cold start would load):
  // the compiler holds both lists to the vocabulary, in its order.
  const LEVEL: Record<MediationLevel, [string, string]> = {
    courtyard: ['院落', 'at the courtyard'],
    community: ['社区', 'at the community'],
    town: ['镇调解中心', 'at the town centre'],
  };
  const TYPE: Record<DisputeType, [string, string]> = {
    neighbour: ['邻里纠纷', 'neighbours'],
    family: ['家庭纠纷', 'family'],
    property: ['物业纠纷', 'property'],
    labour: ['劳动纠纷', 'labour'],
    land: ['土地纠纷', 'land'],
    marriage: ['婚姻纠纷', 'marriage'],
    debt: ['债务纠纷', 'debt'],
    other: ['其他纠纷', 'other'],
  };
  const flows: Array<[string, string, string]> = [
    ['received', '受理纠纷', 'Disputes received'],
    ['mediated', '开展调解', 'Disputes mediated'],
    ['agreements', '调解成功', 'Agreements reached'],
    ['failures', '调解不成', 'Mediations failed'],
    ['joint', '联合调解', 'Joint mediations'],
  ];
  const levels = Object.keys(LEVEL) as MediationLevel[];
  const types = Object.keys(TYPE) as DisputeType[];
  return [
    ...flows.flatMap(([kind, zh, en]) => [
      period(`mediation_${kind}`, zh, en),
      ...levels.map((l) => period(`mediation_${kind}_${l}`, `${zh}（${LEVEL[l][0]}）`, `${en} ${LEVEL[l][1]}`)),
    ]),
    ...types.map((t) => period(`mediation_received_type_${t}`, `受理${TYPE[t][0]}`, `Disputes received: ${TYPE[t][1]}`)),
  ];
}

/**
 * The county rollup's metric catalogue: adding a metric is adding an entry (and, if it needs one, the
 * counter that maintains it). The order is the column order of the report files and the dashboard.
 */
export const METRICS: readonly MetricDef[] = [
  town('people', { zh: '实有人口', en: 'Population' }),
  ...RESIDENCE_TYPES.map((t) => town(`res_${t}`, RESIDENCE_LABELS[t])),
  town('households', { zh: '户数', en: 'Households' }),
  town('special', { zh: '特殊人群（人数）', en: 'People in special groups' }),
  ...DEFAULT_SPECIAL_GROUPS.map((g) => town(`tag_${g.id}`, g.label)),
  // One total over the key-group tags (tag memberships: a person in two key groups counts twice).
  town(
    'key_groups',
    { zh: '重点人群（合计）', en: 'Key groups (total)' },
    DEFAULT_KEY_GROUPS.map((g) => `ktag_${g.id}`),
    { sensitive: true },
  ),
  {
    id: 'arrivals',
    label: { zh: '流入人数', en: 'Floating arrivals' },
    source: { from: 'period', attribute: 'arrivals' },
    kind: 'count',
  },
  {
    id: 'departures',
    label: { zh: '流出人数', en: 'Floating departures' },
    source: { from: 'period', attribute: 'departures' },
    kind: 'count',
  },
  town('communities', { zh: '社区（村）', en: 'Communities' }),
  town('grids', { zh: '网格', en: 'Grids' }),
  town('courtyards', { zh: '院落', en: 'Courtyards' }),
  town('staff', { zh: '工作人员', en: 'Staff' }),
  // The team (issue 12): counters its transactions move (decision 61).
  town('coordinators_active', { zh: '在岗协管员', en: 'Coordinators in post' }, ['team_stage_appointed']),
  {
    id: 'coordinators_appointed',
    label: { zh: '新上岗协管员', en: 'Coordinators appointed' },
    source: { from: 'period', attribute: 'team_appointments' },
    kind: 'count',
  },
  town('grids_responsible', { zh: '已定人网格', en: 'Grids with a responsible coordinator' }, ['team_grids_responsible']),
  {
    id: 'grids_unassigned',
    label: { zh: '未定人网格', en: 'Grids without a responsible coordinator' },
    source: { from: 'town', attributes: ['grids'], minus: ['team_grids_responsible'] },
    kind: 'count',
  },
  town('posts_held', { zh: '已有人的岗位（社区×岗位）', en: 'Posts held (community × post)' }, ['team_posts_held']),
  // Posts and duties (定岗定责): every community × every post in use, less those someone holds. A held
  // post is never retired (posts/rules), so the held ones are all among the posts in use.
  {
    id: 'posts_unheld',
    label: { zh: '无人担任的岗位（社区×岗位）', en: 'Posts unheld (community × post)' },
    source: { from: 'town', attributes: ['communities'], times: 'posts_active', minus: ['team_posts_held'] },
    kind: 'count',
  },
  // Matters (issue 13): the stock of matters not yet closed, and the month's flows their transactions
  // count (decision 96); the overdue count is the supervision job's, the first time a clock turns red.
  town('matters_active', { zh: '在办事件', en: 'Matters in hand' }),
  ...(
    [
      ['matters_raised', '受理事件', 'Matters raised'],
      ['matters_resolved', '办结事件', 'Matters resolved'],
      ['matters_resolved_on_time', '按时办结', 'Resolved on time'],
      ['matters_resolved_grid', '网格办结', 'Resolved at the grid'],
      ['matters_resolved_community', '社区（工作站）办结', 'Resolved at the community'],
      ['matters_resolved_town', '镇（中心）办结', 'Resolved at the town'],
      ['matters_escalated', '逐级上报', 'Escalated'],
      ['matters_overdue', '超期事件', 'Overdue'],
      ['matters_reopened', '回访不满意重办', 'Reopened after a visit'],
      ['matters_closed', '结案事件', 'Matters closed'],
      ['matters_visit_satisfied', '回访满意', 'Visits: satisfied'],
      ['matters_visit_basically_satisfied', '回访基本满意', 'Visits: basically satisfied'],
      ['matters_visit_dissatisfied', '回访不满意', 'Visits: dissatisfied'],
    ] as const
  ).map(([id, zh, en]): MetricDef => ({ id, label: { zh, en }, source: { from: 'period', attribute: id }, kind: 'count' })),
  // Household visits (issue 14): households with a visit state and those the morning job marked overdue
  // (coverage = 1 − overdue / households, derived where shown), and the month's visits.
  town('visit_households', { zh: '走访户数', en: 'Households to visit' }),
  town('visit_overdue', { zh: '走访超期户数', en: 'Households overdue for a visit' }),
  {
    id: 'visits',
    label: { zh: '走访次数', en: 'Household visits' },
    source: { from: 'period', attribute: 'visits' },
    kind: 'count',
  },
  // Disputes and mediation (issue 15): the month's flows its transactions count (decision 155), in total
  // and per level, and the disputes received per type. Rates are not counts and cannot be summed over
  // towns: they are derived where shown, from two summed counts (METRIC_RATIOS).
  ...mediationMetrics(),
  // The training ledger (issue 12): hours credited to coordinators, counted in the month of each course's date.
  {
    id: 'training_hours',
    label: { zh: '培训学时', en: 'Training hours' },
    source: { from: 'period', attribute: 'training_hours' },
    kind: 'count',
  },
];

/**
 * A rate the county can be shown from two sums of catalogue metrics (its towns' counts added up first):
 * the numerator's metrics over the denominator's, null when the denominator is not positive, at most 1.
 */
export type MetricRatio = { id: string; label: Label; numerator: readonly string[]; denominator: readonly string[] };

export const METRIC_RATIOS: readonly MetricRatio[] = [
  {
    id: 'mediation_success_rate',
    label: { zh: '调解成功率', en: 'Mediation success rate' },
    numerator: ['mediation_agreements'],
    denominator: ['mediation_agreements', 'mediation_failures'],
  },
  {
    id: 'mediation_joint_share',
    label: { zh: '联合调解占比', en: 'Share of joint mediations' },
    numerator: ['mediation_joint'],
    denominator: ['mediation_received'],
  },
];

/** A ratio's value from one row's metric values (numbers; anything else counts as unknown). */
export function ratioValue(r: Pick<MetricRatio, 'numerator' | 'denominator'>, values: Readonly<Record<string, unknown>>): number | null {
  let top = 0;
  let bottom = 0;
  for (const id of r.numerator) {
    const v = values[id];
    if (typeof v !== 'number') return null;
    top += v;
  }
  for (const id of r.denominator) {
    const v = values[id];
    if (typeof v !== 'number') return null;
    bottom += v;
  }
  return bottom > 0 ? Math.min(1, Math.max(0, top / bottom)) : null;
}

export const metricIds = (): string[] => METRICS.map((m) => m.id);
export const findMetric = (id: string): MetricDef | undefined => METRICS.find((m) => m.id === id);

/**
 * Computes every metric of the catalogue from a town's counter items: `town` is the `TOWN` counter item,
 * `months` the period's `MONTH#…` items (absent ones count as zero).
 */
export function computeMetrics(
  town: Record<string, unknown> | undefined,
  months: ReadonlyArray<Record<string, unknown>>,
): Record<string, number> {
  const num = (item: Record<string, unknown> | undefined, attr: string) => {
    const v = item?.[attr];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const out: Record<string, number> = {};
  for (const m of METRICS)
    out[m.id] =
      m.source.from === 'town'
        ? m.source.attributes.reduce((s, a) => s + num(town, a), 0) * (m.source.times === undefined ? 1 : num(town, m.source.times)) -
          (m.source.minus ?? []).reduce((s, a) => s + num(town, a), 0)
        : months.reduce((s, item) => s + num(item, (m.source as { attribute: string }).attribute), 0);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Periods: a day `2026-11-27`, a month `2026-11`, a quarter `2026-Q4`.

export const PERIOD_KINDS = ['day', 'month', 'quarter'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Period = { id: string; kind: PeriodKind; months: string[] };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Parses a period id, or returns undefined when it is not one (`2026-02-30` is not). */
export function parsePeriod(id: string): Period | undefined {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(id);
  if (m) {
    const d = new Date(`${id}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== id) return undefined;
    return { id, kind: 'day', months: [id.slice(0, 7)] };
  }
  m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? { id, kind: 'month', months: [id] } : undefined;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(id);
  if (m) {
    const first = (Number(m[2]) - 1) * 3 + 1;
    return { id, kind: 'quarter', months: [0, 1, 2].map((i) => `${m?.[1]}-${pad(first + i)}`) };
  }
  return undefined;
}

export const periodSchema = z.string().check(
  z.maxLength(10),
  z.refine((s) => parsePeriod(s) !== undefined, { message: 'A period is a day (2026-11-27), a month (2026-11) or a quarter (2026-Q4).' }),
);

/** The period of a kind that contains an instant, in the county's time zone (Asia/Shanghai, UTC+8 all year). */
export function periodContaining(at: string | Date, kind: PeriodKind): string {
  const local = new Date(new Date(at).getTime() + 8 * 3600_000);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth() + 1;
  if (kind === 'day') return `${y}-${pad(mo)}-${pad(local.getUTCDate())}`;
  if (kind === 'month') return `${y}-${pad(mo)}`;
  return `${y}-Q${Math.floor((mo - 1) / 3) + 1}`;
}

/** The period just before `id`, of the same kind. */
export function previousPeriod(id: string): string {
  const p = parsePeriod(id);
  if (!p) throw new Error(`not a period: ${id}`);
  if (p.kind === 'day') return new Date(Date.parse(`${id}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const y = Number(id.slice(0, 4));
  if (p.kind === 'month') {
    const mo = Number(id.slice(5, 7));
    return mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}`;
  }
  const q = Number(id.slice(6));
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** The `count` periods ending with `last`, oldest first. */
export function periodsEndingWith(last: string, count: number): string[] {
  const out = [last];
  while (out.length < count) out.unshift(previousPeriod(out[0] as string));
  return out;
}

/** What a scheduled run at `at` rolls up: the period of its kind that ended most recently. */
export function lastCompletedPeriod(at: string | Date, kind: PeriodKind): string {
  return previousPeriod(periodContaining(at, kind));
}
