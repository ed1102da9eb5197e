/** A message in both UI languages, the shape every issue and rejection carries. */
export type Message = { zh: string; en: string };

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Full-width ASCII (U+FF01–U+FF5E) to its half-width twin, and the ideographic space to a plain space. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Removes zero-width characters and every whitespace character (including U+3000 and no-break space). */
export function stripAllSpace(s: string): string {
  return s.replace(ZERO_WIDTH, '').replace(/\s+/g, '');
}

// The cleaning and "today" of the book are the domain's field rules (./fields), so the API and the
// forms keep a value exactly as an import would read it back.
export { cleanLine, todayInChina } from '@gridline/domain/rules';
/** A cell's text as the validators want it: line ends unified, controls and zero-width characters gone, trimmed. */
export { cleanText as cleanCell } from '@gridline/domain/rules';

/** Whether year/month/day name a real day of the proleptic Gregorian calendar. */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

/** Formats a date as YYYY-MM-DD with zero padding. */
export function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whether a string is a YYYY-MM-DD naming a real day. */
export function isIsoDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}
