import { type Message, stripAllSpace, toHalfWidth } from './text';

export type PhoneReason = 'phone.multiple' | 'phone.chars' | 'phone.mobile' | 'phone.landline' | 'phone.area_code' | 'phone.format';

export type PhoneCheck = { ok: true; value: string; kind: 'mobile' | 'landline' } | { ok: false; reason: PhoneReason; message: Message };

const MESSAGES: Record<PhoneReason, Message> = {
  'phone.multiple': { zh: '联系电话只能填写一个号码', en: 'Enter only one phone number' },
  'phone.chars': { zh: '联系电话含有无效字符', en: 'The phone number contains characters that do not belong in a phone number' },
  'phone.mobile': {
    zh: '手机号码应为11位，以13–19开头',
    en: 'A mobile number must have 11 digits starting with 13 to 19',
  },
  'phone.landline': {
    zh: '固定电话应为区号加7–8位号码，如 0571-88886666',
    en: 'A landline must be an area code and a 7- or 8-digit number, e.g. 0571-88886666',
  },
  'phone.area_code': {
    zh: '固定电话缺少区号，请按“区号-号码”填写',
    en: 'The landline has no area code; write it as area code-number',
  },
  'phone.format': { zh: '联系电话格式无效', en: 'The phone number is not in a valid format' },
};

function refuse(reason: PhoneReason): PhoneCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;
const EXTENSION = /(?:转|分机|ext\.?|x|#)(\d{1,6})$/i;

/** Area codes 010 and 020–029 have three digits; every other mainland area code has four. */
function areaLength(digits: string): number {
  return /^0(?:10|2\d)/.test(digits) ? 3 : 4;
}

/** Splits a string of digits starting with 0 into area code and local number, or null. */
function splitLandline(digits: string): { area: string; local: string } | null {
  const n = areaLength(digits);
  const area = digits.slice(0, n);
  const local = digits.slice(n);
  if (!/^[2-9]\d{6,7}$/.test(local)) return null;
  return { area, local };
}

/** Normalises the text of a phone number: half-width characters, separators unified, spaces removed. */
export function normalisePhone(raw: string): string {
  let s = stripAllSpace(toHalfWidth(raw)).replace(DASHES, '-');
  const guarded = /^="(.*)"$/.exec(s);
  if (guarded) s = guarded[1] ?? '';
  if (s.startsWith("'")) s = s.slice(1);
  return s;
}

/**
 * Checks a mainland phone number: a mobile (1[3-9] and nine more digits, an optional +86/0086 prefix
 * and any separators allowed) or a landline (area code, then a 7–8 digit number, an optional extension).
 * The value is canonical: `13812345678`, `0571-88886666` or `0571-88886666-123`. An empty string is not
 * a phone number: callers decide whether the field is optional.
 */
export function checkPhone(raw: string): PhoneCheck {
  let s = normalisePhone(raw);
  if (s === '') return refuse('phone.format');
  if (/[、,;/|或和及]/.test(s)) return refuse('phone.multiple');
  // Two long digit runs separated by a space are two numbers, not one number with a space in it.
  const runs = toHalfWidth(raw)
    .split(/[^\d-]+/)
    .filter((run) => run.replace(/-/g, '').length >= 7);
  if (runs.length > 1) return refuse('phone.multiple');
  s = s.replace(/^\((0\d{2,3})\)/, '$1-');
  let ext = '';
  const extMatch = EXTENSION.exec(s);
  if (extMatch) {
    ext = extMatch[1] ?? '';
    s = s.slice(0, extMatch.index).replace(/-$/, '');
  }
  if (!/^\+?[\d-]+$/.test(s)) return refuse('phone.chars');
  // Mobile numbers: anything that, without separators and country code, starts with 1.
  const digits = s.replace(/-/g, '');
  const national = digits.replace(/^(?:\+86|0086|86(?=1\d{10}$))/, '');
  if (national.startsWith('+')) return refuse('phone.format');
  if (national.startsWith('1')) {
    if (ext !== '' || !/^1[3-9]\d{9}$/.test(national)) return refuse('phone.mobile');
    return { ok: true, value: national, kind: 'mobile' };
  }
  if (!national.startsWith('0')) return /^[2-9]\d{6,7}$/.test(national) ? refuse('phone.area_code') : refuse('phone.format');
  // Landlines written area-number-extension: a trailing short group after a second dash is the
  // extension whenever what comes before it is a whole number (0571-88886666-123, 010-2345678-1).
  const groups = s.replace(/^\+?86-?/, '').split('-');
  if (ext === '' && groups.length >= 3) {
    const last = groups[groups.length - 1] ?? '';
    const head = groups.slice(0, -1).join('');
    const split = /^\d{1,6}$/.test(last) ? splitLandline(head) : null;
    if (split) return { ok: true, value: `${split.area}-${split.local}-${last}`, kind: 'landline' };
  }
  const split = splitLandline(national);
  if (!split) return refuse('phone.landline');
  return { ok: true, value: `${split.area}-${split.local}${ext === '' ? '' : `-${ext}`}`, kind: 'landline' };
}
