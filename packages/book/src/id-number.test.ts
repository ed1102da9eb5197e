import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter, normaliseIdNumber } from './id-number';
import { fullWidth, oracleCheckDigitOk, TODAY, validIdArb } from './testing/arbitraries';

const today = TODAY;

describe('GB 11643 check character', () => {
  it('matches the published example 11010519491231002X', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X', { today })).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
      region: '110105',
    });
  });

  it('agrees with the independent mod-11 oracle on every 18-character string of digits and X', () => {
    const char = fc.constantFrom(...'0123456789X');
    fc.assert(
      fc.property(fc.array(char, { minLength: 18, maxLength: 18 }), (chars) => {
        const id = chars.join('');
        const r = checkIdNumber(id, { today });
        // Zero false accepts: an accepted number always satisfies the oracle.
        if (r.ok) expect(oracleCheckDigitOk(id)).toBe(true);
        // Zero false rejects on the check digit: refused for the check digit only when the oracle agrees.
        if (!r.ok && r.reason === 'id.check_digit') expect(oracleCheckDigitOk(id)).toBe(false);
        if (!r.ok && r.reason !== 'id.check_digit' && r.reason !== 'id.chars') expect(oracleCheckDigitOk(id)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('valid ID numbers', () => {
  it('are always accepted, with the birth date and gender they encode', () => {
    fc.assert(
      fc.property(validIdArb, ({ id, birthDate, gender }) => {
        const r = checkIdNumber(id, { today });
        expect(r).toEqual({ ok: true, value: id, birthDate, gender, region: id.slice(0, 6) });
      }),
      { numRuns: 2000 },
    );
  });

  it('are accepted in full-width, with a lower-case x and with any whitespace', () => {
    const variant = fc.record({
      widths: fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
      spaces: fc.array(fc.constantFrom('', ' ', '\u3000', '\t', '\u00a0'), { minLength: 19, maxLength: 19 }),
      lower: fc.boolean(),
    });
    fc.assert(
      fc.property(validIdArb, variant, ({ id, birthDate, gender }, { widths, spaces, lower }) => {
        let typed = spaces[0] ?? '';
        [...id].forEach((ch, i) => {
          const c = lower && ch === 'X' ? 'x' : ch;
          typed += (widths[i] ? fullWidth(c) : c) + (spaces[i + 1] ?? '');
        });
        expect(normaliseIdNumber(typed)).toBe(id);
        expect(checkIdNumber(typed, { today })).toMatchObject({ ok: true, value: id, birthDate, gender });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('damaged ID numbers', () => {
  const replacement = fc.constantFrom(...'0123456789XAZ-*.');

  it('are always refused when any one character is changed', () => {
    fc.assert(
      fc.property(validIdArb, fc.integer({ min: 0, max: 17 }), replacement, ({ id }, at, ch) => {
        fc.pre(id[at] !== ch);
        const mutated = id.slice(0, at) + ch + id.slice(at + 1);
        expect(checkIdNumber(mutated, { today }).ok).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('are always refused when only the check character is wrong, with reason id.check_digit', () => {
    fc.assert(
      fc.property(validIdArb, fc.constantFrom(...'0123456789X'), ({ id }, ch) => {
        fc.pre(id[17] !== ch);
        const r = checkIdNumber(id.slice(0, 17) + ch, { today });
        expect(r).toMatchObject({ ok: false, reason: 'id.check_digit' });
      }),
      { numRuns: 2000 },
    );
  });

  it('are always refused when two different adjacent digits are swapped', () => {
    fc.assert(
      fc.property(validIdArb, fc.integer({ min: 0, max: 16 }), ({ id }, at) => {
        fc.pre(id[at] !== id[at + 1]);
        const swapped = id.slice(0, at) + id[at + 1] + id[at] + id.slice(at + 2);
        expect(checkIdNumber(swapped, { today }).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('are refused when a character is dropped or added', () => {
    fc.assert(
      fc.property(validIdArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789'), ({ id }, at, ch) => {
        expect(checkIdNumber(id.slice(0, at) + id.slice(at + 1), { today })).toMatchObject({ ok: false, reason: 'id.length' });
        expect(checkIdNumber(id.slice(0, at) + ch + id.slice(at), { today })).toMatchObject({ ok: false, reason: 'id.length' });
      }),
    );
  });

  it('never throw on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const r = checkIdNumber(s, { today });
        if (r.ok) expect(oracleCheckDigitOk(r.value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('reasons', () => {
  const make = (first17: string) => first17 + idCheckCharacter(first17);
  it.each([
    ['', 'id.required'],
    ['   ', 'id.required'],
    ['3.30523199512069E+17', 'id.scientific'],
    ['330523951206981', 'id.old_format'],
    ['33052319951206981', 'id.length'],
    ['3305231995120698A0', 'id.chars'],
    ['330523199512069811', 'id.check_digit'],
    [make('99052319951206981'), 'id.region'],
    [make('33052319950230981'), 'id.birth_date'],
    [make('33052318991231981'), 'id.birth_too_early'],
    [make('33052320260116981'), 'id.birth_future'],
  ])('%s → %s', (raw, reason) => {
    expect(checkIdNumber(raw, { today })).toMatchObject({ ok: false, reason });
  });

  it('gives every refusal a message in both languages', () => {
    const r = checkIdNumber('330523199512069811', { today });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.zh).toMatch(/校验码/);
      expect(r.message.en).toMatch(/check digit/);
    }
  });

  it('strips a spreadsheet text guard', () => {
    expect(normaliseIdNumber("'330523199512069810")).toBe('330523199512069810');
    expect(normaliseIdNumber('="330523199512069810"')).toBe('330523199512069810');
  });

  it('accepts a birth date of today and refuses tomorrow', () => {
    expect(checkIdNumber(make('33052320260115981'), { today }).ok).toBe(true);
    expect(checkIdNumber(make('33052320260116981'), { today }).ok).toBe(false);
  });
});
