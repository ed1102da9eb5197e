import type { Locale, MessageKey, Params } from '../i18n';
import type { MediationLevel } from './types';

/*
 * The agreement (调解协议书) as printed: its date in the document's style, its terms' numbers, and the
 * name of the organisation that mediated it at its level.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A yyyy-mm-dd day as a document writes it: 2026年3月5日, or 5 March 2026; anything else as it came. */
export function documentDate(day: string, locale: Locale): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const month = Number(mo);
  if (month < 1 || month > 12) return day;
  return locale === 'en' ? `${Number(d)} ${MONTHS_EN[month - 1]} ${y}` : `${y}年${month}月${Number(d)}日`;
}

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1–99 in Chinese numerals as a list numbers its items (一, 十, 十一, 二十); other numbers as digits. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 0) return DIGITS[ones] as string;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** A term's number in the agreement: 一、 in Chinese, 1. in English (n counts from 1). */
export const termNumber = (n: number, locale: Locale): string => (locale === 'en' ? `${n}.` : `${chineseNumeral(n)}、`);

/** A name that ends with one of `endings`, or with `add` appended; an unknown (empty) name is `add` alone. */
function named(name: string | undefined, endings: readonly string[], add: string): string {
  const n = (name ?? '').trim();
  return endings.some((e) => n.endsWith(e)) ? n : `${n}${add}`;
}

/** The names the organisation's title is made of, as far as the reader knows them. */
export type OrganisationNames = { town?: string; community?: string; place?: string };

/**
 * The organisation that mediated at `level`, as a catalog message: the courtyard's mediation (院落调解) of
 * its community and place, the community's people's mediation committee (社区人民调解委员会), or the town's
 * mediation centre (镇调解中心). Names are completed with 社区 or 镇 when they lack them.
 */
export function organisation(level: MediationLevel, names: OrganisationNames): { key: MessageKey; params: Params } {
  const community = named(names.community, ['社区', '村', '居委会'], '社区');
  switch (level) {
    case 'courtyard':
      return { key: 'med.org.courtyard', params: { community: names.community ? community : '', place: (names.place ?? '').trim() } };
    case 'community':
      return { key: 'med.org.community', params: { community } };
    case 'town':
      return { key: 'med.org.town', params: { town: named(names.town, ['镇', '乡', '街道'], '镇') } };
  }
}
