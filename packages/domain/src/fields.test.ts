import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrivalDateAllowed,
  cleanHouseholdNo,
  cleanLine,
  cleanText,
  FIELD_MAX,
  keptNameProblem,
  keptTextProblem,
  todayInChina,
} from './fields';
import { floatingSchema, newHouseholdSchema, newPersonSchema } from './book/api';

/**
 * Issue 11 item 3, the forms' side: the book forms send a value in its kept form (`cleanLine`,
 * `cleanText`, `cleanHouseholdNo`) and refuse it by `keptNameProblem` / `keptTextProblem`
 * (web/src/lib/book/person-fields.ts only words the answer). Whatever those let through, the API's schema
 * accepts; whatever they refuse, the schema refuses too.
 */
const POOL = [...'王李·汉族户主AZ09０９Ａ＝＋＠\'",、-=+@_ .', '𠀀', ' ', '\u3000', '\t', '\n', '\u200B', '\u0007'];
const raw = (max: number) => fc.string({ unit: fc.constantFrom(...POOL), maxLength: max + 3 });
const person = newPersonSchema.shape;

describe('the book forms agree with the API', () => {
  it('names', () => {
    fc.assert(
      fc.property(raw(FIELD_MAX.name), (s) => {
        const kept = cleanLine(s);
        expect(keptNameProblem(kept) === undefined).toBe(person.name.safeParse(kept).success);
      }),
      { numRuns: 500 },
    );
    expect(keptNameProblem('=1+1')).toBe('invalid');
    expect(keptNameProblem('𠀀'.repeat(FIELD_MAX.name))).toBeUndefined();
  });

  it('relation, ethnicity and door', () => {
    const cases = [
      [person.relation, FIELD_MAX.relation],
      [person.ethnicity.def.innerType, FIELD_MAX.ethnicity],
      [newHouseholdSchema.shape.door, FIELD_MAX.door],
    ] as const;
    for (const [schema, max] of cases) {
      fc.assert(
        fc.property(raw(max), (s) => {
          const kept = cleanLine(s);
          expect(keptTextProblem(kept, max, true) === undefined).toBe(schema.safeParse(kept).success);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('notes and 户编号 (optional: an empty one is not sent)', () => {
    fc.assert(
      fc.property(raw(FIELD_MAX.note), (s) => {
        const kept = cleanText(s);
        const problem = keptTextProblem(kept, FIELD_MAX.note, false);
        if (kept) expect(problem === undefined).toBe(person.note.safeParse(kept).success);
        else expect(problem).toBeUndefined();
      }),
      { numRuns: 200 },
    );
    const code = newHouseholdSchema.shape.code.def.innerType;
    fc.assert(
      fc.property(raw(FIELD_MAX.householdNo), (s) => {
        const kept = cleanHouseholdNo(s);
        const problem = keptTextProblem(kept, FIELD_MAX.householdNo, false);
        if (kept) expect(problem === undefined).toBe(code.safeParse(kept).success);
        else expect(problem).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('arrival dates', () => {
    const today = todayInChina();
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const day of ['2001-02-03', today, tomorrow]) {
      expect(arrivalDateAllowed(day, today), day).toBe(floatingSchema.safeParse({ arrivalDate: day }).success);
    }
    expect(arrivalDateAllowed(tomorrow, today)).toBe(false);
  });
});
