import { importBook, type PersonRecord, writeBookCsv } from '@gridline/book';
import { todayInChina } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { apiStack } from '../support/api';
import { testIdNumber } from '../support/ids';

/**
 * Issue 11 item 3, the API side: a value the book importer refuses is refused by the API route too,
 * with the stable 400 body naming the field. Each case is first shown refused by the importer, so the
 * test follows the importer's rule rather than a copy of it.
 */
const { call } = apiStack(['qingshi.admin']);

const today = todayInChina();
const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const bookRow = (over: Partial<Record<keyof PersonRecord, string>>): PersonRecord =>
  ({
    householdNo: 'H1',
    name: '严晓',
    gender: 'male',
    birthDate: '1990-01-01',
    idNumber: testIdNumber('330523', '1990-01-01', 11),
    community: '柳河社区',
    grid: '第一网格',
    relation: '户主',
    residenceType: 'registered',
    tags: [],
    keyTags: [],
    ...over,
  }) as PersonRecord;

/** The fields the importer refuses in a one-row book with `over` written into it. */
function importerRefuses(over: Partial<Record<keyof PersonRecord, string>>): string[] {
  const read = importBook(writeBookCsv([bookRow(over)]), { today });
  return read.rejected.flatMap((r) => r.issues.map((i) => i.field ?? ''));
}

const person = (over: Record<string, unknown> = {}, seq = 1) => ({
  name: '严晓',
  gender: 'male',
  idNumber: testIdNumber('330523', '1990-01-01', 2 * seq + 1),
  relation: '户主',
  residenceType: 'registered',
  tags: [],
  keyTags: [],
  ...over,
});

describe('what the importer refuses, the API refuses with 400 and the field', () => {
  it('person fields', async () => {
    const h = await call('qingshi.admin', 'POST', '/town/grids/qs-g1/households', { door: '1单元101室' });
    expect(h.status, h.text).toBe(201);
    const path = `/town/grids/qs-g1/households/${(h.json as { householdId: string }).householdId}/people`;
    const cases: Array<[string, Partial<Record<keyof PersonRecord, string>>, Record<string, unknown>, string]> = [
      ['a formula-like name', { name: '=1+1' }, { name: '=1+1' }, 'body.name'],
      ['a name with a full-width digit', { name: '王１' }, { name: '王１' }, 'body.name'],
      ['a name over 32 characters', { name: '王'.repeat(33) }, { name: '王'.repeat(33) }, 'body.name'],
      ['an ethnicity over 16 characters', { ethnicity: '族'.repeat(17) }, { ethnicity: '族'.repeat(17) }, 'body.ethnicity'],
      ['a relation over 16 characters', { relation: '亲'.repeat(17) }, { relation: '亲'.repeat(17) }, 'body.relation'],
      ['a note over 200 characters', { note: '备'.repeat(201) }, { note: '备'.repeat(201) }, 'body.note'],
      [
        'an arrival date after today',
        { residenceType: 'floating', arrivalDate: tomorrow },
        { residenceType: 'floating', floating: { arrivalDate: tomorrow } },
        'body.floating.arrivalDate',
      ],
    ];
    let seq = 1;
    for (const [what, cell, body, field] of cases) {
      const bookField = field.split('.').at(-1) as string;
      expect(importerRefuses(cell), what).toContain(bookField);
      const r = await call('qingshi.admin', 'POST', path, person(body, seq++));
      expect([r.status, r.json.error?.field], what).toEqual([400, field]);
      expect(r.json.error, what).toMatchObject({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
    }
  });

  it('a 户编号 over 32 characters', async () => {
    const code = 'H'.repeat(33);
    expect(importerRefuses({ householdNo: code })).toContain('householdNo');
    const r = await call('qingshi.admin', 'POST', '/town/grids/qs-g1/households', { door: '1单元102室', code });
    expect([r.status, r.json.error?.field]).toEqual([400, 'body.code']);
  });
});

describe('what the importer would read back differently, the API refuses rather than keeps', () => {
  it.each([
    ['relation', { relation: '户主\n配偶' }],
    ['name', { name: '王\t五' }],
    ['ethnicity', { ethnicity: '汉  族' }],
  ])('%s', async (field, over) => {
    const h = await call('qingshi.admin', 'POST', '/town/grids/qs-g1/households', { door: `2单元${field}` });
    const path = `/town/grids/qs-g1/households/${(h.json as { householdId: string }).householdId}/people`;
    const r = await call('qingshi.admin', 'POST', path, person(over, 40));
    expect([r.status, r.json.error?.field]).toEqual([400, `body.${field}`]);
  });

  it('a 户编号 with a space or full-width letters', async () => {
    for (const code of ['A 01', 'Ａ01']) {
      const r = await call('qingshi.admin', 'POST', '/town/grids/qs-g1/households', { door: '3单元301室', code });
      expect([r.status, r.json.error?.field], code).toEqual([400, 'body.code']);
    }
  });
});
