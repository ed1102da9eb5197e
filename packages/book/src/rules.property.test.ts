import {
  DEFAULT_KEY_GROUPS,
  DEFAULT_SPECIAL_GROUPS,
  FIELD_MAX,
  floatingSchema,
  newCourtyardSchema,
  newHouseholdSchema,
  newPersonSchema,
  todayInChina,
} from '@gridline/domain';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ZodMiniType } from 'zod/mini';
import { importBook, type PersonRecord, RESIDENCE_TYPES, writeBookCsv, writeBookXlsx } from './index';
import { validIdArb } from './testing/arbitraries';

/**
 * Issue 11 item 3: whatever the API's schemas accept, an export writes and its import reads back with
 * zero changes. Values are drawn loosely (spaces of every width, controls, formula starts, full-width
 * and astral characters) and kept only when the API's own schema accepts them, so the books below are
 * exactly the books the API can hold. The import runs with the real today, as the API's arrival rule does.
 */
const today = todayInChina();

// Characters that stress each rule: CJK (one astral), full-width forms, every kind of space, controls,
// the starts a spreadsheet reads as a formula, quotes and separators of CSV and the tag cell.
const POOL = [
  ...'王李张·汉族户主配偶单元室AbZz09０９ＡＺ＝＋－＠\'"，,、;|/-=+@_ .',
  '𠀀',
  ' ',
  '\u3000',
  '\t',
  '\n',
  '\r',
  '\u200B',
  '\u0007',
];

/** Output of `schema` for strings drawn from the pool (up to `max + 2` characters), plus values exactly at the limit. */
function accepted(schema: ZodMiniType<unknown>, max: number): fc.Arbitrary<string> {
  const loose = fc.string({ unit: fc.constantFrom(...POOL), minLength: 0, maxLength: max + 2 });
  const atLimit = fc.constantFrom('汉'.repeat(max), '𠀀'.repeat(max), 'Ａ'.repeat(max), `${'张'.repeat(max - 1)}·`);
  return fc
    .oneof({ arbitrary: loose, weight: 4 }, { arbitrary: atLimit, weight: 1 })
    .map((s) => schema.safeParse(s))
    .filter((r) => r.success && typeof r.data === 'string')
    .map((r) => r.data as string);
}

const person = newPersonSchema.shape;
const nameArb = accepted(person.name, FIELD_MAX.name);
const ethnicityArb = accepted(person.ethnicity.def.innerType, FIELD_MAX.ethnicity);
const relationArb = accepted(person.relation, FIELD_MAX.relation);
const noteArb = accepted(person.note.def.innerType, FIELD_MAX.note);
const codeArb = accepted(newHouseholdSchema.shape.code.def.innerType, FIELD_MAX.householdNo);
const doorArb = accepted(newHouseholdSchema.shape.door, FIELD_MAX.door);
const orgNameArb = accepted(newCourtyardSchema.shape.name, FIELD_MAX.orgName);

/** Arrival dates the API accepts: any real day up to (and a little past) today, kept when the schema takes it. */
const arrivalArb = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))
  .filter((d) => floatingSchema.safeParse({ arrivalDate: d }).success);

const phoneArb = fc.oneof(fc.stringMatching(/^1[3-9]\d{9}$/), fc.stringMatching(/^0[3-9]\d\d-[2-9]\d{6,7}$/));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const householdArb = fc.record({
  householdNo: codeArb,
  community: orgNameArb,
  grid: orgNameArb,
  courtyard: opt(orgNameArb),
  door: doorArb,
});

const memberArb = fc.record({
  name: nameArb,
  ethnicity: opt(ethnicityArb),
  phone: opt(phoneArb),
  relation: relationArb,
  residenceType: fc.constantFrom(...RESIDENCE_TYPES),
  tags: fc.subarray(DEFAULT_SPECIAL_GROUPS.map((t) => t.id)),
  keyTags: fc.subarray(DEFAULT_KEY_GROUPS.map((t) => t.id)),
  arrivalDate: arrivalArb,
  note: opt(noteArb),
});

/** A book as the export route builds it from what the API stored (an empty note is no note there). */
const bookArb = fc
  .uniqueArray(householdArb, { selector: (h) => h.householdNo, minLength: 1, maxLength: 4 })
  .chain((households) =>
    fc.tuple(
      fc.constant(households),
      fc.array(fc.array(memberArb, { minLength: 1, maxLength: 3 }), { minLength: households.length, maxLength: households.length }),
      fc.uniqueArray(validIdArb, { selector: (x) => x.id, minLength: households.length * 3, maxLength: households.length * 3 }),
    ),
  )
  .map(([households, members, ids]) => {
    const records: PersonRecord[] = [];
    households.forEach((h, i) => {
      for (const m of members[i] ?? []) {
        const id = ids[records.length];
        if (!id) throw new Error('not enough ids');
        records.push({
          householdNo: h.householdNo,
          name: m.name,
          gender: id.gender,
          ...(m.ethnicity === undefined ? {} : { ethnicity: m.ethnicity }),
          birthDate: id.birthDate,
          idNumber: id.id,
          ...(m.phone === undefined ? {} : { phone: m.phone }),
          community: h.community,
          grid: h.grid,
          ...(h.courtyard === undefined ? {} : { courtyard: h.courtyard }),
          door: h.door,
          relation: m.relation,
          residenceType: m.residenceType,
          tags: m.tags,
          keyTags: m.keyTags,
          // Only a floating person carries floating details, and with them the arrival date.
          ...(m.residenceType === 'floating' ? { arrivalDate: m.arrivalDate } : {}),
          ...(m.note ? { note: m.note } : {}),
        });
      }
    });
    return records;
  });

describe('a book the API accepts exports and re-imports with zero changes', () => {
  const writers = {
    CSV: (r: PersonRecord[]) => writeBookCsv(r),
    'CSV with the Excel text guard': (r: PersonRecord[]) => writeBookCsv(r, { excelTextGuard: true }),
    XLSX: (r: PersonRecord[]) => writeBookXlsx(r),
  };
  it.each(Object.entries(writers))('%s', (_, write) => {
    fc.assert(
      fc.property(bookArb, (records) => {
        const again = importBook(write(records), { today });
        expect(again.fileErrors).toEqual([]);
        expect(again.rejected).toEqual([]);
        expect(again.people.map((p) => p.person)).toEqual(records);
      }),
      { numRuns: 120 },
    );
  });
});

describe('what the importer refuses, the API refuses', () => {
  it.each([
    ['=1+1', 'formula-like'],
    ['+王', 'formula-like'],
    ['@李', 'formula-like'],
    ['王1', 'digit'],
    ['李１', 'full-width digit'],
    ['张＝三', 'full-width symbol'],
  ])('the name %s (%s)', (name) => {
    expect(person.name.safeParse(name).success).toBe(false);
    const csv = writeBookCsv([
      {
        householdNo: 'H1',
        name,
        gender: 'male',
        birthDate: '1980-01-01',
        idNumber: '110101198001010010',
        community: '柳河社区',
        grid: '第一网格',
        residenceType: 'registered',
        tags: [],
        keyTags: [],
      },
    ]);
    const read = importBook(csv, { today });
    expect(read.rejected[0]?.issues.map((i) => i.field)).toContain('name');
  });

  it('an arrival date after today', () => {
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(floatingSchema.safeParse({ arrivalDate: tomorrow }).success).toBe(false);
    expect(floatingSchema.safeParse({ arrivalDate: today }).success).toBe(true);
  });

  it.each([
    ['name', `${'王'.repeat(FIELD_MAX.name)}王`],
    ['relation', '户主\n配偶'],
    ['ethnicity', '汉  族'],
  ] as const)('the %s %j, which the import would read differently or refuse', (field, value) => {
    expect(person[field].safeParse(value).success).toBe(false);
  });

  it('a 户编号 with spaces or full-width letters, which the import folds', () => {
    const code = newHouseholdSchema.shape.code.def.innerType;
    expect(code.safeParse('A 01').success).toBe(false);
    expect(code.safeParse('Ａ01').success).toBe(false);
    expect(code.safeParse(' A01 ').data).toBe('A01');
  });
});
