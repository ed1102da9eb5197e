/**
 * The checks the web app runs as the user types, the very functions the API runs: ID numbers
 * (GB 11643), phones, real dates. Nothing here imports zod or `node:`; `@gridline/book/checks` is the
 * browser's entry point, so a form pays only for what it checks.
 */
export { checkIdNumber, type IdNumberCheck, type IdNumberReason, normaliseIdNumber } from './id-number';
export { checkPhone, type PhoneCheck, type PhoneReason } from './phone';
import { isRealDate } from './text';

export { isRealDate, todayInChina } from './text';

/** Whether a string is a YYYY-MM-DD naming a real day. */
export function isIsoDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}
