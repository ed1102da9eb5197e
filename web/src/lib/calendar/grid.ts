import type { Holiday, TownClosure } from '@gridline/domain';

/*
 * The month grids of the calendar pages: each day of a year marked as a holiday, a make-up working day
 * (调休上班), a town closure, a weekend or a working day, weeks starting on Monday as Chinese calendars
 * do. Pure, so the pages only draw what this returns.
 */

export type DayKind = 'holiday' | 'makeup' | 'closed' | 'weekend' | 'work';
export type DayCell = { date: string; day: number; kind: DayKind; label?: string };
export type Month = { month: number; weeks: Array<Array<DayCell | null>> };
export type Marks = { holidays: readonly Holiday[]; makeUpWorkdays: readonly string[]; closures?: readonly TownClosure[] };

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

/** Every day from `from` to `to` (both included) with a label, skipping half-typed or reversed ranges. */
function spread(into: Map<string, string>, from: string, to: string, label: string) {
  if (!isDay(from) || !isDay(to) || to < from) return;
  for (let t = Date.parse(from); t <= Date.parse(to) && into.size < 5000; t += DAY) into.set(iso(t), label);
}

/** How a day counts: a closure wins over everything, then a holiday, a make-up day, the weekend. */
export function dayKinds(marks: Marks): (date: string) => { kind: DayKind; label?: string } {
  const holidays = new Map<string, string>();
  const closed = new Map<string, string>();
  for (const h of marks.holidays) spread(holidays, h.from, h.to, h.name);
  for (const c of marks.closures ?? []) spread(closed, c.from, c.to || c.from, c.reason);
  const makeUp = new Set(marks.makeUpWorkdays);
  return (date) => {
    const closure = closed.get(date);
    if (closure !== undefined) return { kind: 'closed', label: closure };
    const holiday = holidays.get(date);
    if (holiday !== undefined) return { kind: 'holiday', label: holiday };
    if (makeUp.has(date)) return { kind: 'makeup' };
    const w = new Date(`${date}T00:00:00Z`).getUTCDay();
    return { kind: w === 0 || w === 6 ? 'weekend' : 'work' };
  };
}

/** The twelve months of `year`, each as weeks of seven cells (Monday first; null outside the month). */
export function yearGrid(year: number, marks: Marks): Month[] {
  const kindOf = dayKinds(marks);
  const months: Month[] = [];
  for (let m = 0; m < 12; m++) {
    const first = Date.UTC(year, m, 1);
    const days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const lead = (new Date(first).getUTCDay() + 6) % 7;
    const cells: Array<DayCell | null> = Array.from({ length: lead }, () => null);
    for (let d = 1; d <= days; d++) {
      const date = iso(first + (d - 1) * DAY);
      cells.push({ date, day: d, ...kindOf(date) });
    }
    while (cells.length % 7) cells.push(null);
    const weeks: Array<Array<DayCell | null>> = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    months.push({ month: m + 1, weeks });
  }
  return months;
}

/** The year asked for in the address (`?year=`), else `fallback`; only 2000–2100. */
export function yearParam(raw: string | null, fallback: number): number {
  const n = raw && /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
  return n >= 2000 && n <= 2100 ? n : fallback;
}
