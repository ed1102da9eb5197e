/**
 * The rule of each field of the population book, one function or constant per field, shared by the
 * API's zod schemas, the book importer and the web forms (issue 11 item 3). Whatever one entry path
 * accepts, the others accept too, and an export always re-imports unchanged. Zod-free and free of
 * `node:`: the browser reaches it through `@gridline/domain/rules`.
 */

/** Longest value of each text field, in characters (code points, so a rare name character counts once). */
export const FIELD_MAX = {
  name: 32,
  ethnicity: 16,
  relation: 16,
  door: 64,
  note: 200,
  householdNo: 32,
  /** Community, grid and courtyard names, as the org chart keeps them. */
  orgName: 64,
} as const;

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  return [...s].length;
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 controls except tab and line feed, plus DEL and the C1 block: never meaningful in a book value.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Multi-line text as it is kept: line ends unified, controls and zero-width characters gone, trimmed. */
export function cleanText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(ZERO_WIDTH, '').replace(CONTROLS, '').replace(LONE_SURROGATE, '\uFFFD').trim();
}

/** Single-line text as it is kept: `cleanText`, then each run of whitespace (full-width too) one space. */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/\s+/g, ' ');
}

/** Whether a single-line value is non-empty and already in its kept form (what the importer would read back). */
export function isCleanLine(s: string): boolean {
  return s !== '' && cleanLine(s) === s;
}

/** Whether a note (multi-line) is already in its kept form; the empty note means "none". */
export function isCleanText(s: string): boolean {
  return cleanText(s) === s;
}

/**
 * Characters no person's name holds (digits and symbols, after full-width forms are folded). It also
 * keeps a name such as `=1+1` out of exports, where a spreadsheet would read it as a formula.
 */
export const PERSON_NAME_FORBIDDEN = /[0-9<>@#$%^&*=+{}[\]\\|~`_]/;

/** Whether a person's name is free of the characters `PERSON_NAME_FORBIDDEN` lists (full-width forms included). */
export function personNameAllowed(name: string): boolean {
  return !PERSON_NAME_FORBIDDEN.test(name.normalize('NFKC'));
}

/** A 户编号 as it is kept: full-width forms folded (NFKC) and every space removed, as books write it loosely. */
export function cleanHouseholdNo(s: string): string {
  return cleanLine(s).normalize('NFKC').replace(/\s+/g, '');
}

/** Whether a 户编号 is non-empty and already in its kept form. */
export function isCleanHouseholdNo(s: string): boolean {
  return s !== '' && cleanHouseholdNo(s) === s;
}

/** Today's date in China (UTC+8), as YYYY-MM-DD: the day a coordinator's "not in the future" means. */
export function todayInChina(now: number = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whether an arrival date (YYYY-MM-DD) may be recorded: not after today in China. */
export function arrivalDateAllowed(day: string, today: string = todayInChina()): boolean {
  return day <= today;
}

/** Why a field's value is refused, for the forms to name in their own words. */
export type FieldProblem = 'required' | 'too_long' | 'invalid';

/** The problem of a text value already in its kept form (`cleanLine`, `cleanText`, `cleanHouseholdNo`). */
export function keptTextProblem(kept: string, max: number, required: boolean): FieldProblem | undefined {
  if (!kept) return required ? 'required' : undefined;
  return charCount(kept) > max ? 'too_long' : undefined;
}

/** The problem of a person's name already in its kept form: required, within the limit, no digits or symbols. */
export function keptNameProblem(kept: string): FieldProblem | undefined {
  return keptTextProblem(kept, FIELD_MAX.name, true) ?? (personNameAllowed(kept) ? undefined : 'invalid');
}
