import type { RollupCell, RollupRatio, PeriodKind as RollupKind } from '@gridline/domain';

/**
 * How the county dashboard writes periods and counts. Pure functions (no browser, no API), so the
 * unit tests run them in Node (hence the locale spelled out here rather than imported from the
 * catalog module, which touches the browser).
 */
type Locale = 'zh-CN' | 'en';

export const ROLLUP_KINDS: readonly RollupKind[] = ['month', 'quarter', 'day'];

/** The kind of a period id: `2026-11-27` a day, `2026-11` a month, `2026-Q4` a quarter. */
export function kindOf(period: string): RollupKind | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return 'day';
  if (/^\d{4}-\d{2}$/.test(period)) return 'month';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
  return undefined;
}

const QUARTERS_ZH = ['一', '二', '三', '四'];

/** A period for people: 2026年11月 / Nov 2026, 2026年第四季度 / Q4 2026, 2026年11月27日 / 27 Nov 2026. */
export function periodLabel(period: string, locale: Locale): string {
  const kind = kindOf(period);
  const y = period.slice(0, 4);
  if (kind === 'quarter') {
    const q = Number(period.slice(6));
    return locale === 'en' ? `Q${q} ${y}` : `${y}年第${QUARTERS_ZH[q - 1]}季度`;
  }
  if (kind === 'month' || kind === 'day') {
    const date = new Date(`${kind === 'month' ? `${period}-01` : period}T00:00:00Z`);
    const opts: Intl.DateTimeFormatOptions =
      kind === 'month'
        ? { year: 'numeric', month: locale === 'en' ? 'short' : 'long', timeZone: 'UTC' }
        : { dateStyle: 'medium', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(locale, opts).format(date);
  }
  return period;
}

/**
 * A short axis label: 11月 / Nov for a month (with the year on the first and on January), Q4 for a
 * quarter (with the year), 11-27 for a day.
 */
export function periodTick(period: string, locale: Locale, first = false): string {
  const kind = kindOf(period);
  if (kind === 'quarter') return period.slice(2).replace('-', ' ');
  if (kind === 'day') return period.slice(5);
  if (kind === 'month') {
    const month = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(new Date(`${period}-01T00:00:00Z`));
    return first || period.endsWith('-01') ? `${period.slice(0, 4)} ${month}` : month;
  }
  return period;
}

/** A count as shown: grouped digits, or "<5" as it came. */
export const cellText = (v: RollupCell | undefined | null): string => (typeof v === 'number' ? v.toLocaleString() : (v ?? '—'));

/**
 * A rate of one row (RollupView.ratios: the mediation success rate, the share of joint mediations): the
 * sum of its numerator's counts over its denominator's, null when a count is hidden ("<5") or missing or
 * there is nothing to divide by, and at most 1. Summed counts make a county rate; a rate is never summed.
 */
export function ratioOf(
  r: Pick<RollupRatio, 'numerator' | 'denominator'>,
  metrics: Record<string, RollupCell> | null | undefined,
): number | null {
  if (!metrics) return null;
  const sum = (ids: readonly string[]) =>
    ids.reduce<number | null>((s, id) => {
      const v = metrics[id];
      return s === null || typeof v !== 'number' ? null : s + v;
    }, 0);
  const top = sum(r.numerator);
  const bottom = sum(r.denominator);
  if (top === null || bottom === null || bottom <= 0) return null;
  return Math.min(1, Math.max(0, top / bottom));
}

/** A rate as shown: a whole percent, or a dash. */
export const ratioText = (v: number | null, locale: Locale): string =>
  v === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(v);

/** A change as shown: +12, −3 (a true minus sign), 0, or "<5"; a dash when there is nothing to compare. */
export function changeText(v: RollupCell | undefined | null): string {
  if (v === undefined || v === null) return '—';
  if (typeof v !== 'number') return v;
  if (v > 0) return `+${v.toLocaleString()}`;
  if (v < 0) return `−${Math.abs(v).toLocaleString()}`;
  return '0';
}

/** Which way a change points, for its colour and its arrow. */
export const changeTone = (v: RollupCell | undefined | null): 'up' | 'down' | 'flat' =>
  typeof v === 'number' && v !== 0 ? (v > 0 ? 'up' : 'down') : 'flat';

/**
 * What the reports page shows, read from its address (?period=2026-11&metric=people&town=qingshi, or
 * ?kind=quarter without a period): a period that is not a period id is ignored, its kind wins over
 * `kind`, and the defaults are the months and the people.
 */
export function reportAt(params: URLSearchParams): { period: string | null; kind: RollupKind; metric: string; townId: string | null } {
  const raw = params.get('period') ?? '';
  const periodKind = kindOf(raw);
  const asked = params.get('kind') ?? '';
  const kind = periodKind ?? ((ROLLUP_KINDS as readonly string[]).includes(asked) ? (asked as RollupKind) : 'month');
  return { period: periodKind ? raw : null, kind, metric: params.get('metric') || 'people', townId: params.get('town') };
}
