import { isoDate, isRealDate, type Message, stripAllSpace, todayInChina, toHalfWidth } from './text';

/** Gender as the national ID encodes it: the 17th digit is odd for men, even for women. */
export type Gender = 'male' | 'female';

/** Stable reasons an ID number is refused; the message in both languages goes with each. */
export type IdNumberReason =
  | 'id.required'
  | 'id.scientific'
  | 'id.old_format'
  | 'id.length'
  | 'id.chars'
  | 'id.check_digit'
  | 'id.region'
  | 'id.birth_date'
  | 'id.birth_too_early'
  | 'id.birth_future';

export type IdNumberCheck =
  | { ok: true; value: string; birthDate: string; gender: Gender; region: string }
  | { ok: false; reason: IdNumberReason; message: Message };

/** GB 11643 weights: 2^(17-i) mod 11 for the first seventeen positions. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** The check character for each value of the weighted sum mod 11 (ISO 7064 MOD 11-2). */
const CHECK_CHARS = '10X98765432';

/**
 * Two-digit province-level codes (GB/T 2260, first two digits of the region code), plus 83 used by
 * residence permits for Taiwan residents. A sanity check only: the six-digit table is not carried.
 */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

/** Province-level codes an ID may start with, for generators and tests. */
export const ID_PROVINCE_CODES: readonly string[] = [...PROVINCES];

const MESSAGES: Record<IdNumberReason, Message> = {
  'id.required': { zh: '公民身份号码不能为空', en: 'The ID number is required' },
  'id.scientific': {
    zh: '公民身份号码被表格软件存成了数字（科学计数法），末几位已丢失；请将该列设为文本后重新录入',
    en: 'The ID number was stored as a number in scientific notation and lost its last digits; format the column as text and re-enter it',
  },
  'id.old_format': {
    zh: '15位一代身份证号已停止使用，请填写18位公民身份号码',
    en: 'A 15-digit first-generation ID number is no longer valid; enter the 18-character number',
  },
  'id.length': { zh: '公民身份号码应为18位', en: 'The ID number must be 18 characters long' },
  'id.chars': {
    zh: '公民身份号码前17位应为数字，第18位为数字或X',
    en: 'The ID number must be 17 digits followed by a digit or X',
  },
  'id.check_digit': {
    zh: '公民身份号码校验码错误，请核对每一位',
    en: 'The ID number check digit does not match (GB 11643); check every digit',
  },
  'id.region': { zh: '公民身份号码的地区码无效', en: 'The ID number does not start with a valid region code' },
  'id.birth_date': { zh: '公民身份号码中的出生日期不是有效日期', en: 'The birth date inside the ID number is not a real date' },
  'id.birth_too_early': { zh: '公民身份号码中的出生日期早于1900年', en: 'The birth date inside the ID number is before 1900' },
  'id.birth_future': { zh: '公民身份号码中的出生日期晚于今天', en: 'The birth date inside the ID number is in the future' },
};

/**
 * Normalises an ID number as typed or pasted: full-width digits and letters to half-width, every
 * whitespace character (the full-width space too) removed, a spreadsheet text guard (`'…` or `="…"`)
 * removed, and lower-case letters (the check character x) upper-cased.
 */
export function normaliseIdNumber(raw: string): string {
  let s = stripAllSpace(toHalfWidth(raw));
  const guarded = /^="(.*)"$/.exec(s);
  if (guarded) s = guarded[1] ?? '';
  if (s.startsWith("'")) s = s.slice(1);
  return s.toUpperCase();
}

/** The GB 11643 check character for the first seventeen digits of an ID number. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

function refuse(reason: IdNumberReason): IdNumberCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/**
 * Checks a national ID number (居民身份证号) after normalisation: 18 characters, the GB 11643 check
 * character, a known province code, and a real birth date between 1900-01-01 and `today` (China time).
 * On success gives the normalised number with the birth date and gender it encodes.
 */
export function checkIdNumber(raw: string, options: { today?: string } = {}): IdNumberCheck {
  const value = normaliseIdNumber(raw);
  if (value === '') return refuse('id.required');
  if (/^\d(\.\d+)?E\+?\d+$/.test(value)) return refuse('id.scientific');
  if (/^\d{15}$/.test(value)) return refuse('id.old_format');
  if (value.length !== 18) return refuse('id.length');
  if (!/^\d{17}[\dX]$/.test(value)) return refuse('id.chars');
  if (idCheckCharacter(value.slice(0, 17)) !== value[17]) return refuse('id.check_digit');
  if (!PROVINCES.has(value.slice(0, 2))) return refuse('id.region');
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (!isRealDate(y, m, d)) return refuse('id.birth_date');
  const birthDate = isoDate(y, m, d);
  if (birthDate < '1900-01-01') return refuse('id.birth_too_early');
  if (birthDate > (options.today ?? todayInChina())) return refuse('id.birth_future');
  const gender: Gender = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value, birthDate, gender, region: value.slice(0, 6) };
}

/** Whether a string is a valid ID number once normalised. */
export function isValidIdNumber(raw: string, options: { today?: string } = {}): boolean {
  return checkIdNumber(raw, options).ok;
}
