import { newPersonSchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { fieldByContent, resolveColumns } from './columns';
import { idCheckCharacter } from './id-number';
import { type BookImport, importBook } from './index';
import { TODAY } from './testing/arbitraries';
import { unseenBook, unseenGbk, unseenUtf8, unseenXlsx } from './testing/unseen';

const book = unseenBook();
const forms: Record<string, Uint8Array> = { 'GBK CSV': unseenGbk(book), 'UTF-8 CSV': unseenUtf8(book), XLSX: unseenXlsx(book) };

const id = (first17: string) => first17 + idCheckCharacter(first17);
const IDS = [id('33050219800101001'), id('11010519491231002'), id('11010519491231004')];

describe('columns by content', () => {
  it('proposes a field from the values, with its evidence', () => {
    expect(fieldByContent(['户籍人口', '流动人口', '常住人口', '户籍人口'])).toMatchObject({ field: 'residenceType', share: 1 });
    expect(fieldByContent([IDS[0] as string, IDS[1] as string, ''])).toBeNull();
    expect(fieldByContent(IDS)?.field).toBe('idNumber');
    expect(fieldByContent(IDS.map((x) => `${x.slice(0, 17)}${x[17] === '1' ? '2' : '1'}`))).toBeNull();
    expect(fieldByContent(['男', '女', '女', '男'])?.field).toBe('gender');
    expect(fieldByContent(['13812345678', '15900001111', '18600002222'])?.evidence.zh).toContain('手机号码');
    expect(fieldByContent(['1980-01-02', '1975/3/4', '2001年5月6日'])?.field).toBe('birthDate');
    expect(fieldByContent(['浙江湖州', '四川成都', '安徽阜阳'])).toBeNull();
  });

  it('maps by name, alias, content and user, and lists the columns it ignored', () => {
    const sample = [
      ['H1', '户籍人口', IDS[0] as string, '浙江'],
      ['H2', '流动人口', IDS[1] as string, '四川'],
      ['H3', '常住人口', IDS[2] as string, '安徽'],
    ];
    const auto = resolveColumns(['门户编码', '人员类别', '身份证件号', '籍贯'], sample);
    expect(auto.columns.map((c) => [c.header, c.field, c.how])).toEqual([
      ['门户编码', null, null],
      ['人员类别', 'residenceType', 'content'],
      ['身份证件号', 'idNumber', 'content'],
      ['籍贯', null, null],
    ]);
    expect(auto.missing).toContain('householdNo');
    const told = resolveColumns(['门户编码', '人员类别', '身份证件号', '籍贯'], sample, { 门户编码: 'householdNo', 人员类别: null });
    expect(told.columns.map((c) => [c.field, c.how])).toEqual([
      ['householdNo', 'user'],
      [null, 'user'],
      ['idNumber', 'content'],
      [null, null],
    ]);
    expect(resolveColumns(['姓名', '户号'], []).columns.map((c) => c.how)).toEqual(['name', 'alias']);
  });
});

describe('a book none of the tests had seen', () => {
  it('is refused as a whole without the mapping, naming the column the user can choose', () => {
    const r = importBook(forms['UTF-8 CSV'] as Uint8Array, { today: TODAY });
    expect(r.fileErrors.map((e) => [e.code, e.field])).toEqual([['file.missing_column', 'householdNo']]);
    expect(r.fileErrors[0]?.message.zh).toContain('门户编码');
  });

  for (const [name, bytes] of Object.entries(forms)) {
    it(`${name}: with the user's one choice, every damaged row is refused for its reason and every other row accepted`, () => {
      const r: BookImport = importBook(bytes, { today: TODAY, mapping: book.userMapping });
      expect(r.fileErrors).toEqual([]);
      expect(r.title).toBe(book.title);
      expect(r.headerRow).toBe(3);
      expect(r.columns.filter((c) => c.how === 'content').map((c) => c.header)).toEqual(['身份证件号', '人员类别']);
      expect(r.columns.filter((c) => c.field === null).map((c) => c.header)).toEqual(['籍贯']);
      expect(r.rejected.map((x) => [x.row, x.issues[0]?.code])).toEqual([...book.bad.entries()]);
      expect(r.people).toHaveLength(book.rows.length - book.bad.size);
      expect(book.rows.length).toBeGreaterThan(2500);
    });
  }
});

describe('one name rule for the API and the import', () => {
  it.each(['=1+1', '王1', '李＠', '张_三'])('%s is refused by both', (name) => {
    expect(newPersonSchema.shape.name.safeParse(name).success).toBe(false);
    const rows = book.rows.map((row, n) => (n === 0 ? row.map((c, i) => (i === 2 ? name : c)) : row));
    const r = importBook(unseenUtf8({ ...book, rows }), { today: TODAY, mapping: book.userMapping });
    expect(r.rejected.find((x) => x.row === 1)?.issues.map((i) => i.code)).toEqual(['name.invalid']);
  });
  it.each(['王小明', '阿卜杜拉·买买提', 'Zhang Wei'])('%s is accepted by both', (name) => {
    expect(newPersonSchema.shape.name.safeParse(name).success).toBe(true);
  });
});
