import * as fc from 'fast-check';
import { ID_PROVINCE_CODES, idCheckCharacter } from '../id-number';
import { isoDate } from '../text';

/** The "today" the tests run against, fixed so that generated dates never drift into the future. */
export const TODAY = '2026-01-15';

/** A real calendar date between 1900-01-01 and TODAY. */
export const birthDateArb = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));

/** A valid 18-character ID number with what it encodes. */
export const validIdArb = fc
  .record({
    province: fc.constantFrom(...ID_PROVINCE_CODES),
    area: fc.integer({ min: 0, max: 9999 }),
    birthDate: birthDateArb,
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ province, area, birthDate, sequence }) => {
    const first17 = `${province}${String(area).padStart(4, '0')}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
    const id = first17 + idCheckCharacter(first17);
    return { id, birthDate, gender: sequence % 2 === 1 ? ('male' as const) : ('female' as const) };
  });

/**
 * An independent statement of the GB 11643 rule, for the properties: the weighted sum of all 18
 * positions (X counting 10, weights 2^(17-i) mod 11) is 1 mod 11.
 */
export function oracleCheckDigitOk(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const v = id[i] === 'X' ? 10 : Number(id[i]);
    sum += v * 2 ** (17 - i);
  }
  return sum % 11 === 1;
}

/** Full-width twin of an ASCII character. */
export function fullWidth(ch: string): string {
  return String.fromCharCode(ch.charCodeAt(0) + 0xfee0);
}
