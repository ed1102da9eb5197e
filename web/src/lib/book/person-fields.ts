import { checkIdNumber, checkPhone } from '@gridline/book/checks';
import {
  arrivalDateAllowed,
  cleanHouseholdNo,
  cleanLine,
  cleanText,
  FIELD_MAX,
  type FieldProblem,
  type Gender,
  keptNameProblem,
  keptTextProblem,
} from '@gridline/domain/rules';
import type { MessageKey } from '../i18n';
import type { FieldMessage } from '../validate';

/**
 * The person form's ID and phone checks: the server's own (packages/book), run as the user types,
 * with their reasons turned into catalog keys. Kept apart from validate.ts so that only the pages of
 * the book load them.
 */

export type IdReading = { ok: true; value: string; birthDate: string; gender: Gender } | { ok: false; key: MessageKey };

/**
 * Reads an ID number with the server's own check (GB 11643, packages/book), so a mistake shows beside
 * the field at once; the server checks again and has the last word.
 */
export function readId(raw: string, today: string): IdReading {
  const c = checkIdNumber(raw, { today });
  return c.ok ? { ok: true, value: c.value, birthDate: c.birthDate, gender: c.gender } : { ok: false, key: `err.${c.reason}` };
}

/** What is wrong with a phone number, by the server's own check; undefined when it is right or empty. */
export function phoneProblem(raw: string): FieldMessage | undefined {
  if (!raw.trim()) return undefined;
  const c = checkPhone(raw);
  return c.ok ? undefined : { key: `err.${c.reason}` };
}

// The book's field rules (@gridline/domain/rules, the same functions the API's schemas and the importer
// run): the forms send each value in the form the API keeps, so a stray double space or a pasted tab
// is tidied here rather than refused there, and they show the API's refusals before sending.

/** A single-line field as it is sent: whitespace runs to one space, controls gone, trimmed. */
export const lineValue = (raw: string): string => cleanLine(raw);
/** A multi-line note as it is sent. */
export const noteValue = (raw: string): string => cleanText(raw);
/** A 户编号 as it is sent: spaces removed and full-width forms folded, as an import reads it. */
export const householdNoValue = (raw: string): string => cleanHouseholdNo(raw);

function message(problem: FieldProblem | undefined, max: number): FieldMessage | undefined {
  if (problem === 'required') return { key: 'validation.required' };
  if (problem === 'too_long') return { key: 'validation.tooLong', params: { max } };
  return problem === 'invalid' ? { key: 'err.name.invalid' } : undefined;
}

/** What is wrong with a single-line field by the book's rule (its limit counts characters, not UTF-16 units). */
export const lineProblem = (raw: string, max: number, required: boolean): FieldMessage | undefined =>
  message(keptTextProblem(lineValue(raw), max, required), max);

/** What is wrong with a note by the book's rule. */
export const noteProblem = (raw: string): FieldMessage | undefined =>
  message(keptTextProblem(noteValue(raw), FIELD_MAX.note, false), FIELD_MAX.note);

/** What is wrong with a 户编号 by the book's rule; it is optional in the forms. */
export const householdNoProblem = (raw: string): FieldMessage | undefined =>
  message(keptTextProblem(householdNoValue(raw), FIELD_MAX.householdNo, false), FIELD_MAX.householdNo);

/** What is wrong with a person's name: required, within the limit, no digits or symbols (the server's rule). */
export const nameProblem = (raw: string): FieldMessage | undefined => message(keptNameProblem(lineValue(raw)), FIELD_MAX.name);

/** What is wrong with an arrival date that is a real day: it may not be after today (in China). */
export const arrivalProblem = (day: string, today: string): FieldMessage | undefined =>
  arrivalDateAllowed(day, today) ? undefined : { key: 'err.arrival_date.future' };
