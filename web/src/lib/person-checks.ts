import type { MessageKey } from './i18n';
import type { Gender } from './types';
import type { FieldMessage } from './validate';

/**
 * Checks the person form makes before sending, mirroring the server's rules (packages/book:
 * id-number.ts and phone.ts) so most mistakes show beside the field at once. The server checks
 * everything again and has the last word; its field errors are shown the same way.
 */

/** Full-width ASCII (digits, letters, the ideographic space) to their half-width forms. */
function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** An ID number as the server will read it: half-width, no spaces at all, an upper-case X. */
export function normaliseId(raw: string): string {
  return halfWidth(raw).replace(/\s+/g, '').toUpperCase();
}

const FACTORS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '),
);

function checkChar(first17: string): string {
  let total = 0;
  for (let i = 0; i < 17; i++) total += Number(first17.charAt(i)) * (FACTORS[i] ?? 0);
  return CHECK.charAt(total % 11);
}

function realDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export type IdReading = { ok: true; value: string; birthDate: string; gender: Gender } | { ok: false; key: MessageKey };

/** Reads an ID number: what is wrong with it, or the birth date and gender it encodes. */
export function readId(raw: string, today: string): IdReading {
  const v = normaliseId(raw);
  const no = (key: MessageKey): IdReading => ({ ok: false, key });
  if (!v) return no('validation.required');
  if (/^\d{15}$/.test(v)) return no('err.id.old_format');
  if (v.length !== 18) return no('err.id.length');
  if (!/^\d{17}[\dX]$/.test(v)) return no('err.id.chars');
  if (checkChar(v.slice(0, 17)) !== v.charAt(17)) return no('err.id.check_digit');
  if (!PROVINCES.has(v.slice(0, 2))) return no('err.id.region');
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  if (!realDate(y, m, d)) return no('err.id.birth_date');
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (birthDate < '1900-01-01') return no('err.id.birth_too_early');
  if (birthDate > today) return no('err.id.birth_future');
  return { ok: true, value: v, birthDate, gender: Number(v.charAt(16)) % 2 === 1 ? 'male' : 'female' };
}

/**
 * A light check of a phone number: a mobile (11 digits from 13 to 19, +86 allowed) or a landline
 * with its area code. Undefined when it looks right; the server normalises and checks it fully.
 */
export function phoneProblem(raw: string): FieldMessage | undefined {
  const s = halfWidth(raw).replace(/\s+/g, '');
  if (!s) return undefined;
  if (/[、,;/|]/.test(s)) return { key: 'err.phone.multiple' };
  if (!/^[+\d()\-－—]+$/.test(s.replace(/(转|分机|ext\.?|#)\d{1,6}$/i, ''))) return { key: 'err.phone.chars' };
  const digits = s.replace(/\D/g, '').replace(/^(0086|86(?=1\d{10}$))/, '');
  if (digits.startsWith('1')) return /^1[3-9]\d{9}$/.test(digits) ? undefined : { key: 'err.phone.mobile' };
  if (digits.startsWith('0')) return digits.length >= 10 && digits.length <= 18 ? undefined : { key: 'err.phone.landline' };
  return { key: 'err.phone.area_code' };
}

/** A YYYY-MM-DD that is a real day. */
export function isDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Text within `max` characters after trimming; `required` refuses an empty one. */
export function textProblem(value: string, max: number, required: boolean): FieldMessage | undefined {
  const v = value.trim();
  if (!v) return required ? { key: 'validation.required' } : undefined;
  return v.length > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}
