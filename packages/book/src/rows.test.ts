import { describe, expect, it } from 'vitest';
import { type BookImport, importBook, parseBookDate } from './index';
import { TODAY } from './testing/arbitraries';
import { csvBook } from './testing/sample';

const today = TODAY;
const HEADER = [
  '户编号',
  '姓名',
  '性别',
  '出生日期',
  '公民身份号码',
  '联系电话',
  '所属社区',
  '所属网格',
  '院落楼栋',
  '门牌号',
  '与户主关系',
  '人口类型',
  '特殊人群类别',
  '流入时间',
  '备注',
];
const base = [
  'H1',
  '严晓',
  '男',
  '1995-12-06',
  '330523199512069810',
  '',
  '柳河社区',
  '第一网格',
  '7栋',
  '6单元503室',
  '户主',
  '户籍人口',
  '',
  '',
  '',
];
const second = [
  'H1',
  '刘兰燕',
  '男',
  '1998-01-23',
  '510104199801230271',
  '',
  '柳河社区',
  '第一网格',
  '7栋',
  '6单元503室',
  '配偶',
  '户籍人口',
  '',
  '',
  '',
];

function book(...rows: Array<Partial<Record<string, string>>>): BookImport {
  const data = rows.map((changes, i) => {
    const row = [...(i === 0 ? base : second)];
    for (const [k, v] of Object.entries(changes)) row[HEADER.indexOf(k)] = v ?? '';
    return row;
  });
  return importBook(csvBook('台账', HEADER, data), { today });
}
const codes = (r: BookImport) => r.rejected.flatMap((x) => x.issues.map((i) => `${x.row}:${i.code}`));

describe('row validation', () => {
  it('derives gender and birth date from the ID number when the cells are blank', () => {
    const r = book({ 性别: '', 出生日期: '' });
    expect(r.people[0]?.person).toMatchObject({ gender: 'male', birthDate: '1995-12-06' });
  });

  it.each(['1995-12-06', '1995/12/6', '1995.12.06', '1995年12月6日', '19951206', '1995-12-06 00:00:00', '1995-12', '１９９５－１２－０６'])(
    'accepts the birth date written %s',
    (written) => {
      expect(book({ 出生日期: written }).rejected).toEqual([]);
    },
  );

  it('refuses a birth-month that disagrees with the ID', () => {
    expect(codes(book({ 出生日期: '1995-11' }))).toEqual(['1:birth_date.mismatch']);
  });

  it.each([
    ['男性', 'male'],
    ['M', 'male'],
  ])('reads gender %s', (written, gender) => {
    expect(book({ 性别: written }).people[0]?.person.gender).toBe(gender);
  });

  it('refuses an unknown gender', () => {
    expect(codes(book({ 性别: '未知' }))).toEqual(['1:gender.invalid']);
  });

  it.each([
    ['户籍', 'registered'],
    ['常住', 'permanent'],
    ['暂住人口', 'floating'],
  ])('reads residence type %s', (written, type) => {
    expect(book({ 人口类型: written, 流入时间: '2020-01-01' }).people[0]?.person.residenceType).toBe(type);
  });

  it('reads an arrival month as the first of the month, with a warning', () => {
    const r = book({ 人口类型: '流动人口', 流入时间: '2020年3月' });
    expect(r.people[0]?.person.arrivalDate).toBe('2020-03-01');
    expect(r.warnings.map((w) => w.code)).toContain('arrival_date.month_only');
  });

  it('refuses arrival dates that are not dates or lie in the future', () => {
    expect(codes(book({ 人口类型: '流动人口', 流入时间: '去年' }))).toEqual(['1:arrival_date.invalid']);
    expect(codes(book({ 人口类型: '流动人口', 流入时间: '2027-01-01' }))).toEqual(['1:arrival_date.future']);
  });

  it('refuses over-long values and names with digits', () => {
    expect(codes(book({ 姓名: '王'.repeat(33) }))).toEqual(['1:name.too_long']);
    expect(codes(book({ 备注: '注'.repeat(201) }))).toEqual(['1:note.too_long']);
    expect(codes(book({ 姓名: 'Zhang 3' }))).toEqual(['1:name.invalid']);
    expect(book({ 姓名: '买买提·艾力' }).rejected).toEqual([]);
  });

  it('reports every problem of a row, not only the first', () => {
    expect(codes(book({ 姓名: '', 公民身份号码: '330523199512069811', 联系电话: '123', 人口类型: '' })).sort()).toEqual(
      ['1:id.check_digit', '1:name.required', '1:phone.mobile', '1:residence_type.required'].sort(),
    );
  });

  it('requires community, grid and household number', () => {
    expect(codes(book({ 所属社区: '', 所属网格: '', 户编号: '' })).sort()).toEqual(
      ['1:community.required', '1:grid.required', '1:household_no.required'].sort(),
    );
  });
});

describe('households', () => {
  it('gives members with blank address cells the address of their household (as merged cells save to CSV)', () => {
    const r = book({}, { 所属社区: '', 所属网格: '', 院落楼栋: '', 门牌号: '' });
    expect(r.rejected).toEqual([]);
    expect(r.people[1]?.person).toMatchObject({ community: '柳河社区', grid: '第一网格', courtyard: '7栋', door: '6单元503室' });
    expect(r.households).toEqual([
      { householdNo: 'H1', community: '柳河社区', grid: '第一网格', courtyard: '7栋', door: '6单元503室', memberRows: [1, 2], headRow: 1 },
    ]);
  });

  it('refuses a member whose address contradicts the household, pointing at the row that set it', () => {
    const r = book({}, { 所属网格: '第二网格' });
    expect(r.rejected[0]?.issues).toEqual([
      expect.objectContaining({ code: 'household.address_conflict', field: 'grid', row: 2, relatedRow: 1 }),
    ]);
    expect(r.households[0]?.memberRows).toEqual([1]);
  });

  it('warns about a household without a head or with two', () => {
    expect(book({ 与户主关系: '配偶' }, {}).warnings.map((w) => w.code)).toEqual(['household.no_head']);
    expect(book({}, { 与户主关系: '户主' }).warnings.map((w) => w.code)).toEqual(['household.multiple_heads']);
  });

  it('skips a footer row (制表人 …) with a warning', () => {
    const data = [base, ['制表人：张三', '', '', '', '', '', '', '', '', '', '', '', '', '', '审核人：李四']];
    const r = importBook(csvBook('台账', HEADER, data), { today });
    expect(r.people).toHaveLength(1);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'row.not_a_person', row: 2 })]);
  });

  it('counts data rows from 1 below the header, blank rows included', () => {
    const data = [base, [], second.map((c, i) => (i === 4 ? '510104199801230272' : c))];
    const r = importBook(csvBook('台账', HEADER, data), { today });
    expect(r.rejected.map((x) => [x.row, x.sheetRow])).toEqual([[3, 5]]);
  });
});

describe('parseBookDate', () => {
  it('refuses impossible dates', () => {
    expect(parseBookDate('2023-02-29')).toBeNull();
    expect(parseBookDate('2024-02-29')).toEqual({ y: 2024, m: 2, d: 29 });
    expect(parseBookDate('2024-13')).toBeNull();
    expect(parseBookDate('abc')).toBeNull();
  });
});

describe('two-level headers', () => {
  it('takes a name merged down from the group row when the CSV leaves the header cell blank', () => {
    const groups = [
      '户编号',
      '姓名',
      '基本信息',
      '',
      '',
      '',
      '居住地址',
      '',
      '',
      '',
      '与户主关系',
      '人口类型',
      '特殊人群类别',
      '流入时间',
      '备注',
    ];
    const names = [
      '',
      '',
      '性别',
      '出生日期',
      '公民身份号码',
      '联系电话',
      '所属社区',
      '所属网格',
      '院落楼栋',
      '门牌号',
      '',
      '',
      '',
      '',
      '',
    ];
    const text = new TextDecoder().decode(csvBook('台账', groups, [names, base, second]));
    const r = importBook(new TextEncoder().encode(text), { today });
    expect(r.fileErrors).toEqual([]);
    expect(r.headerRow).toBe(3);
    expect(r.people.map((p) => p.person.name)).toEqual(['严晓', '刘兰燕']);
  });
});

describe('a refused row claims nothing', () => {
  const bad = (i: number, v: string) => base.map((c, j) => (j === i ? v : c));
  it('a later valid row for the person of a refused row is accepted, not called a duplicate', () => {
    const r = importBook(csvBook('台账', HEADER, [bad(HEADER.indexOf('联系电话'), '123'), base]), { today });
    expect(r.rejected.map((x) => [x.row, x.issues.map((i) => i.field)])).toEqual([[1, ['phone']]]);
    expect(r.people.map((p) => p.row)).toEqual([2]);
  });

  it('a refused first row does not fix the household address for the rows after it', () => {
    const moved = (row: string[]) => row.map((c, j) => (j === HEADER.indexOf('所属网格') ? '第二网格' : c));
    const r = importBook(csvBook('台账', HEADER, [bad(HEADER.indexOf('性别'), '未知'), moved(second)]), { today });
    expect(codes(r)).toEqual(['1:gender.invalid']);
    expect(r.households).toEqual([expect.objectContaining({ householdNo: 'H1', grid: '第二网格', memberRows: [2] })]);
  });

  it('a refused row is not claimed by a check of the caller either', () => {
    const r = importBook(csvBook('台账', HEADER, [base, base]), {
      today,
      checkRow: (_p, raw) => (raw.row === 1 ? [{ severity: 'error', code: 'import.grid_unknown', message: { zh: '无', en: 'none' } }] : []),
    });
    expect(codes(r)).toEqual(['1:import.grid_unknown']);
    expect(r.people.map((p) => p.row)).toEqual([2]);
  });

  it('names both rows of a duplicate', () => {
    const r = importBook(csvBook('台账', HEADER, [base, base]), { today });
    const issue = r.rejected[0]?.issues[0];
    expect(issue).toMatchObject({ code: 'id.duplicate', row: 2, relatedRow: 1 });
    expect(issue?.message.zh).toContain('第 2 行');
    expect(issue?.message.zh).toContain('第 1 行');
  });
});
