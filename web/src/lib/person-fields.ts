import { checkIdNumber, checkPhone } from '@gridline/book/checks';
import type { Gender } from '@gridline/domain/rules';
import type { MessageKey } from './i18n';
import type { FieldMessage } from './validate';

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
