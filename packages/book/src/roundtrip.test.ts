import { DEFAULT_KEY_GROUPS, DEFAULT_SPECIAL_GROUPS } from '@gridline/domain';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importBook, type PersonRecord, RESIDENCE_TYPES, writeBookCsv, writeBookXlsx } from './index';
import { birthDateArb, TODAY, validIdArb } from './testing/arbitraries';
import { cleanCell, cleanLine } from './text';

const today = TODAY;

/** Any text, reduced to the single-line form validation keeps, non-empty and within `max` characters. */
const lineArb = (max: number) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(...'青石镇柳河社区第一网格栋单元室·-=+@\'"，,、 \u3000\t'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      minLength: 1,
      maxLength: max,
    })
    .map(cleanLine)
    .filter((s) => s !== '' && [...s].length <= max);

const noteArb = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('\n', '\r\n', '"', ',', '_x000D_', '&amp;', '<t>', "'=1+1", '-'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 60,
  })
  .map(cleanCell)
  .filter((s) => s !== '' && [...s].length <= 200);

const nameArb = fc
  .array(
    fc.constantFrom(...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔·'),
    { minLength: 1, maxLength: 8 },
  )
  .map((a) => cleanLine(a.join('')))
  .filter((s) => s !== '');

const phoneArb = fc.oneof(fc.stringMatching(/^1[3-9]\d{9}$/), fc.stringMatching(/^(010|02\d|0[3-9]\d\d)-[2-9]\d{6,7}(-\d{1,4})?$/));

const householdArb = fc.record(
  {
    householdNo: fc.stringMatching(/^[A-Z0-9户-]{1,12}$/),
    community: lineArb(50),
    grid: lineArb(50),
    courtyard: lineArb(50),
    door: lineArb(64),
  },
  { requiredKeys: ['householdNo', 'community', 'grid'] },
);

const memberArb = fc.record({
  name: nameArb,
  ethnicity: fc.option(fc.oneof(fc.constantFrom('汉族', '回族', '满族', '苗族', '壮族'), lineArb(16)), { nil: undefined }),
  phone: fc.option(phoneArb, { nil: undefined }),
  relation: fc.option(fc.oneof(fc.constantFrom('户主', '配偶', '子', '女', '孙子'), lineArb(16)), { nil: undefined }),
  residenceType: fc.constantFrom(...RESIDENCE_TYPES),
  tags: fc.subarray(DEFAULT_SPECIAL_GROUPS.map((t) => t.id)),
  keyTags: fc.subarray(DEFAULT_KEY_GROUPS.map((t) => t.id)),
  arrivalDate: fc.option(birthDateArb, { nil: undefined }),
  note: fc.option(noteArb, { nil: undefined }),
});

/** Records as validation produces them: households sharing an address, unique ID numbers, floating people with an arrival date. */
const bookArb = fc
  .uniqueArray(householdArb, { selector: (h) => h.householdNo, minLength: 1, maxLength: 6 })
  .chain((households) =>
    fc.tuple(
      fc.constant(households),
      fc.array(fc.array(memberArb, { minLength: 1, maxLength: 4 }), { minLength: households.length, maxLength: households.length }),
      fc.uniqueArray(validIdArb, { selector: (x) => x.id, minLength: households.length * 4, maxLength: households.length * 4 }),
    ),
  )
  .map(([households, members, ids]) => {
    const records: PersonRecord[] = [];
    households.forEach((h, i) => {
      for (const m of members[i] ?? []) {
        const id = ids[records.length];
        if (!id) throw new Error('not enough ids');
        const arrivalDate = m.residenceType === 'floating' ? (m.arrivalDate ?? '2020-01-01') : m.arrivalDate;
        const record: PersonRecord = {
          householdNo: h.householdNo,
          name: m.name,
          gender: id.gender,
          birthDate: id.birthDate,
          idNumber: id.id,
          community: h.community,
          grid: h.grid,
          residenceType: m.residenceType,
          tags: m.tags,
          keyTags: m.keyTags,
        };
        if (m.ethnicity !== undefined) record.ethnicity = m.ethnicity;
        if (m.phone !== undefined) record.phone = m.phone;
        if (h.courtyard !== undefined) record.courtyard = h.courtyard;
        if (h.door !== undefined) record.door = h.door;
        if (m.relation !== undefined) record.relation = m.relation;
        if (arrivalDate !== undefined) record.arrivalDate = arrivalDate;
        if (m.note !== undefined) record.note = m.note;
        // Keep the key order validation produces, so that toEqual compares like with like.
        records.push(Object.fromEntries(KEY_ORDER.filter((k) => k in record).map((k) => [k, record[k]])) as PersonRecord);
      }
    });
    return records;
  });

const KEY_ORDER: (keyof PersonRecord)[] = [
  'householdNo',
  'name',
  'gender',
  'ethnicity',
  'birthDate',
  'idNumber',
  'phone',
  'community',
  'grid',
  'courtyard',
  'door',
  'relation',
  'residenceType',
  'tags',
  'keyTags',
  'arrivalDate',
  'note',
];

describe('export → import reproduces the records', () => {
  const writers = {
    CSV: (r: PersonRecord[], title: string) => writeBookCsv(r, { title }),
    'CSV with the Excel text guard': (r: PersonRecord[], title: string) => writeBookCsv(r, { title, excelTextGuard: true }),
    XLSX: (r: PersonRecord[], title: string) => writeBookXlsx(r, { title }),
  };
  it.each(Object.entries(writers))('%s', (_, write) => {
    fc.assert(
      fc.property(bookArb, lineArb(40), (records, title) => {
        const again = importBook(write(records, title), { today });
        expect(again.fileErrors).toEqual([]);
        expect(again.rejected).toEqual([]);
        expect(again.people.map((p) => p.person)).toEqual(records);
        expect(again.title).toBe(title);
      }),
      { numRuns: 150 },
    );
  });
});
