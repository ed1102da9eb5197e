/**
 * EventBridge-style cron (`min hour day-of-month month day-of-week year`) evaluated in a time zone,
 * for the local scheduler. Supports `*`, `?`, numbers, lists, ranges and `/` steps; day-of-week is
 * 1–7 with 1 = Sunday, as in EventBridge.
 */
type Field = (n: number) => boolean;

function field(expr: string, min: number, max: number): Field {
  if (expr === '*' || expr === '?') return () => true;
  const allowed = new Set<number>();
  for (const part of expr.split(',')) {
    const [range, stepRaw] = part.split('/');
    const step = stepRaw ? Number(stepRaw) : 1;
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range?.includes('-')) [lo, hi] = range.split('-').map(Number) as [number, number];
    else [lo, hi] = [Number(range), stepRaw ? max : Number(range)];
    if (![lo, hi, step].every(Number.isInteger) || step < 1) throw new Error(`bad cron field: ${expr}`);
    for (let v = lo; v <= hi; v += step) allowed.add(v);
  }
  return (n) => allowed.has(n);
}

export type ZonedParts = { minute: number; hour: number; day: number; month: number; weekday: number; year: number };

/** Calendar parts of an instant in a time zone (weekday 1 = Sunday). */
export function zonedParts(at: Date, timeZone: string): ZonedParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    minute: Number(get('minute')),
    hour: Number(get('hour')),
    day: Number(get('day')),
    month: Number(get('month')),
    weekday: weekdays.indexOf(get('weekday')) + 1,
    year: Number(get('year')),
  };
}

/** A predicate telling whether the cron fires in the minute containing an instant. */
export function cronMatcher(expression: string, timeZone: string): (at: Date) => boolean {
  const f = expression.trim().split(/\s+/);
  if (f.length !== 6) throw new Error(`cron needs six fields: ${expression}`);
  const [mi, h, dom, mo, dow, y] = f as [string, string, string, string, string, string];
  const m = {
    mi: field(mi, 0, 59),
    h: field(h, 0, 23),
    dom: field(dom, 1, 31),
    mo: field(mo, 1, 12),
    dow: field(dow, 1, 7),
    y: field(y, 1970, 2199),
  };
  return (at) => {
    const p = zonedParts(at, timeZone);
    return m.mi(p.minute) && m.h(p.hour) && m.dom(p.day) && m.mo(p.month) && m.dow(p.weekday) && m.y(p.year);
  };
}
