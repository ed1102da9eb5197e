/**
 * The checks the web app runs as the user types, the very functions the API runs: ID numbers
 * (GB 11643), phones, real dates. Nothing here imports zod or `node:`; `@gridline/book/checks` is the
 * browser's entry point, so a form pays only for what it checks (`@gridline/book/text` has the date
 * and text helpers alone).
 */
export { checkIdNumber, type IdNumberCheck, type IdNumberReason, normaliseIdNumber } from './id-number';
export { checkPhone, type PhoneCheck, type PhoneReason } from './phone';
export { isIsoDay, isRealDate, todayInChina } from './text';
