import type { MatterEvent, MatterLevel } from '@gridline/domain';
import type { Locale } from '../i18n';

/*
 * How matters read on the page: times in China time, a category's label in the reader's language, the
 * facts a timeline entry carries, and the board's bars scaled to the largest count.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as a date and time in China (the town's clock), e.g. 12/06 17:30 or Dec 6, 17:30. */
export function chinaTime(iso: string, locale: Locale): string {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Shanghai',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(locale, f);
  }
  return f.format(new Date(iso));
}

/** A label in the reader's language. */
export const labelIn = (label: { zh: string; en: string }, locale: Locale): string => (locale === 'en' ? label.en : label.zh);

/** The facts of a timeline entry shown under it, in this order; other details stay out of the way. */
export const EVENT_FACTS = [
  'reason',
  'resolution',
  'note',
  'from',
  'to',
  'department',
  'until',
  'reachedBy',
  'satisfaction',
  'into',
  'duplicateId',
  'hotlineRef',
  'state',
  'due',
] as const;
export type EventFact = (typeof EVENT_FACTS)[number];

/** The facts of an entry that carry a text or number, as [fact, value] pairs. */
export function eventFacts(e: Pick<MatterEvent, 'details'>): Array<[EventFact, string]> {
  const out: Array<[EventFact, string]> = [];
  for (const k of EVENT_FACTS) {
    const v = e.details[k];
    if (typeof v === 'string' && v !== '') out.push([k, v]);
    else if (typeof v === 'number') out.push([k, String(v)]);
  }
  return out;
}

/** Facts whose values are words of a vocabulary the catalog knows (a level, a visit method, a satisfaction). */
export const FACT_VOCABULARY: Partial<Record<EventFact, 'level' | 'visit' | 'satisfaction' | 'sla'>> = {
  from: 'level',
  to: 'level',
  reachedBy: 'visit',
  satisfaction: 'satisfaction',
  state: 'sla',
};

/** Facts whose values are instants, shown on the China clock. */
export const TIME_FACTS: readonly EventFact[] = ['due'];

export type BoardRow = { level: MatterLevel; open: number; accepted: number; yellow: number; red: number };
export const BOARD_SERIES = ['open', 'accepted', 'yellow', 'red'] as const;
export type BoardSeries = (typeof BOARD_SERIES)[number];

/** Each level's bars as fractions (0–1) of the largest count on the board; all zero when the board is empty. */
export function boardBars(
  rows: readonly BoardRow[],
): Array<{ level: MatterLevel; bars: Array<{ series: BoardSeries; value: number; share: number }> }> {
  const max = Math.max(0, ...rows.flatMap((r) => BOARD_SERIES.map((s) => r[s])));
  return rows.map((r) => ({
    level: r.level,
    bars: BOARD_SERIES.map((series) => ({ series, value: r[series], share: max === 0 ? 0 : r[series] / max })),
  }));
}

/** A share of a total as a whole percentage, or null when there is nothing to share. */
export const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 100) : null);
