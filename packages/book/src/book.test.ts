import { AppError } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import {
  assertBookUsable,
  type BookImport,
  errorFileTitle,
  idCheckCharacter,
  importBook,
  writeBookCsv,
  writeBookXlsx,
  writeErrorFile,
} from './index';
import { fixture, csvBook, sampleTable } from './testing/sample';
import { fullWidth, TODAY } from './testing/arbitraries';
import { writeXlsx } from './xlsx';

const today = TODAY;
const truth = JSON.parse(new TextDecoder().decode(fixture('truth.json'))) as { rows: number; bad: Record<string, string> };

const people = (r: BookImport) => r.people.map((p) => p.person);
const errorCodes = (r: BookImport) => Object.fromEntries(r.rejected.map((x) => [x.row, x.issues.map((i) => i.code).sort()]));

describe('the shared sample book', () => {
  const forms = {
    'GBK CSV': importBook(fixture('book.csv'), { today }),
    'UTF-8 CSV with BOM': importBook(fixture('book-utf8.csv'), { today }),
    XLSX: importBook(fixture('book.xlsx'), { today }),
  };

  it.each(Object.entries(forms))('%s imports as 400 people in 131 households with zero errors', (_, r) => {
    expect(r.fileErrors).toEqual([]);
    expect(r.rejected).toEqual([]);
    expect(r.stats).toEqual({ rows: truth.rows, accepted: 400, rejected: 0, households: 131 });
    expect(r.people).toHaveLength(400);
    expect(r.households).toHaveLength(131);
    expect(r.title).toBe('青石镇人口信息台账');
    expect(r.headerRow).toBe(2);
    // The only findings are two children whose arrival date predates their birth (a warning, not an
    // error) and the two tag names the sample writes otherwise than the default labels.
    expect(r.warnings.map((w) => [w.code, w.row])).toEqual([
      ['arrival_date.before_birth', 238],
      ['arrival_date.before_birth', 299],
      ['tags.read_as', 21],
      ['tags.read_as', 25],
    ]);
    expect(r.warnings.filter((w) => w.code === 'tags.read_as').map((w) => w.message.zh)).toEqual([
      expect.stringMatching(/^特殊人群类别“社区矫正人员”按本镇的“社区矫正”导入/),
      expect.stringMatching(/^特殊人群类别“[^”]+”按本镇的“[^”]+”导入/),
    ]);
    // Every row is accepted except those truth.json lists (none in the clean sample).
    const listed = Object.keys(truth.bad).map(Number);
    expect(r.people.map((p) => p.row)).toEqual(
      Array.from({ length: 400 }, (_, i) => i + 1).filter((n) => !listed.includes(n) || truth.bad[n]?.endsWith('-ok')),
    );
  });

  it('reads the encodings it was given', () => {
    expect(forms['GBK CSV']).toMatchObject({ format: 'csv', encoding: 'gb18030' });
    expect(forms['UTF-8 CSV with BOM']).toMatchObject({ format: 'csv', encoding: 'utf-8' });
    expect(forms.XLSX.format).toBe('xlsx');
  });

  it('gives the same records from all three forms', () => {
    const csv = people(forms['UTF-8 CSV with BOM']);
    expect(people(forms['GBK CSV'])).toEqual(csv);
    expect(people(forms.XLSX)).toEqual(csv);
    expect(forms.XLSX.households).toEqual(forms['GBK CSV'].households);
  });

  it('turns the first rows into the records they describe', () => {
    const r = forms['GBK CSV'];
    expect(r.people[0]).toEqual({
      row: 1,
      sheetRow: 3,
      isHead: true,
      person: {
        householdNo: 'H00001',
        name: '严晓',
        gender: 'male',
        ethnicity: '汉族',
        birthDate: '1995-12-06',
        idNumber: '330523199512069810',
        phone: '17203898668',
        community: '柳河社区',
        grid: '第一网格',
        courtyard: '7栋',
        door: '6单元503室',
        relation: '户主',
        residenceType: 'registered',
        tags: [],
        keyTags: [],
      },
    });
    expect(r.people[1]?.person).toMatchObject({ residenceType: 'floating', arrivalDate: '2024-07-01' });
    expect(r.people[17]?.person.tags).toEqual(['empty_nest']); // 空巢老人, a group of its own
    expect(r.people[20]?.person.keyTags).toEqual(['community_correction']); // 社区矫正人员
    expect(r.households[0]).toEqual({
      householdNo: 'H00001',
      community: '柳河社区',
      grid: '第一网格',
      courtyard: '7栋',
      door: '6单元503室',
      memberRows: [1, 2, 3, 4, 5],
      headRow: 1,
    });
  });

  it('maps every tag label the sample uses', () => {
    const all = people(forms.XLSX);
    const tags = new Set(all.flatMap((p) => p.tags));
    const keyTags = new Set(all.flatMap((p) => p.keyTags));
    expect([...tags].sort()).toEqual([
      'disabled',
      'elderly_alone',
      'empty_nest',
      'extreme_poverty',
      'left_behind_child',
      'low_income',
      'veteran',
    ]);
    expect([...keyTags].sort()).toEqual(['community_correction', 'released_prisoner', 'severe_mental']);
    expect(all.filter((p) => p.residenceType === 'floating')).toHaveLength(33);
    expect(all.filter((p) => p.residenceType === 'floating' && p.arrivalDate === undefined)).toEqual([]);
  });
});

describe('a damaged book', () => {
  const { title, header, rows } = sampleTable();
  const col = (name: string) => header.indexOf(name);
  const ID = col('公民身份号码');
  const damaged = rows.map((r) => [...r]);
  const row = (n: number) => damaged[n - 1] as string[];
  const set = (n: number, column: string, value: string) => {
    row(n)[col(column)] = value;
  };
  const original = (n: number) => rows[n - 1] as string[];

  const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  set(5, '公民身份号码', wrongCheck(original(5)[ID] as string));
  set(7, '出生日期', '1954-08-26');
  set(9, '性别', '女');
  set(10, '联系电话', '1781503665');
  set(12, '姓名', '');
  set(15, '公民身份号码', original(3)[ID] as string);
  set(15, '性别', original(3)[col('性别')] as string);
  set(15, '出生日期', original(3)[col('出生日期')] as string);
  set(16, '人口类型', '外籍人口');
  set(2, '流入时间', '');
  set(20, '公民身份号码', [...(original(20)[ID] as string)].map(fullWidth).join(''));
  set(22, '公民身份号码', (original(22)[ID] as string).toLowerCase());
  set(26, '公民身份号码', (original(26)[ID] as string).replace(/^(\d{6})(\d{8})/, '$1\u3000$2 '));
  set(30, '门牌号', '9单元909室');
  set(40, '特殊人群类别', '孕产妇、残疾人');
  set(45, '出生日期', '1950-02-30');
  const badDate = '51010419990230341';
  set(50, '公民身份号码', badDate + idCheckCharacter(badDate));
  set(55, '联系电话', '１３８ １２３４ ５６７８');
  set(60, '姓名', '谢军2');
  set(70, '公民身份号码', wrongCheck(original(70)[ID] as string));
  set(70, '联系电话', '12345678901');

  const expected: Record<number, string[]> = {
    2: ['arrival_date.required'],
    5: ['id.check_digit'],
    7: ['birth_date.mismatch'],
    9: ['gender.mismatch'],
    10: ['phone.mobile'],
    12: ['name.required'],
    15: ['id.duplicate'],
    16: ['residence_type.invalid'],
    30: ['household.address_conflict'],
    40: ['tags.unknown'],
    45: ['birth_date.invalid'],
    50: ['id.birth_date'],
    60: ['name.invalid'],
    70: ['id.check_digit', 'phone.mobile'],
  };

  const forms = {
    CSV: importBook(csvBook(title, header, damaged), { today }),
    XLSX: importBook(
      writeXlsx({
        name: 'Sheet1',
        rows: [[{ value: title }], header.map((value) => ({ value })), ...damaged.map((r) => r.map((value) => ({ value })))],
        merges: ['A1:Q1'],
      }),
      { today },
    ),
  };

  it.each(Object.entries(forms))('%s: every bad row is reported with its reasons, every good row accepted', (_, r) => {
    expect(r.fileErrors).toEqual([]);
    expect(errorCodes(r)).toEqual(expected);
    const bad = Object.keys(expected).map(Number);
    expect(r.people.map((p) => p.row)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1).filter((n) => !bad.includes(n)));
    expect(r.stats).toMatchObject({ rows: 400, accepted: 400 - bad.length, rejected: bad.length });
  });

  it('points a duplicate and a conflicting address at the earlier row', () => {
    const r = forms.CSV;
    const dup = r.rejected.find((x) => x.row === 15)?.issues[0];
    expect(dup).toMatchObject({ field: 'idNumber', relatedRow: 3, sheetRow: 17 });
    expect(dup?.message.zh).toContain('第 3 行');
    expect(r.rejected.find((x) => x.row === 30)?.issues[0]).toMatchObject({ field: 'door', relatedRow: 28 });
  });

  it('gives every error a field and a message in both languages, without personal data', () => {
    for (const rej of forms.CSV.rejected) {
      for (const issue of rej.issues) {
        expect(issue.severity).toBe('error');
        expect(issue.field).toBeDefined();
        expect(issue.row).toBe(rej.row);
        expect(issue.message.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(issue.message.en).toMatch(/[a-z]/);
        const raw = rej.cells.join(' ');
        for (const cell of [rej.cells[ID], rej.cells[col('联系电话')], rej.cells[col('姓名')]]) {
          if (cell && cell.length > 1) expect(`${issue.message.zh} ${issue.message.en}`).not.toContain(cell);
        }
        expect(raw.length).toBeGreaterThan(0);
      }
    }
  });

  it('accepts full-width, lower-case x and spaced ID numbers and a full-width phone after normalisation', () => {
    const byRow = new Map(forms.CSV.people.map((p) => [p.row, p.person]));
    expect(byRow.get(20)?.idNumber).toBe(original(20)[ID]);
    expect(byRow.get(22)?.idNumber).toBe('33052319990405567X');
    expect(byRow.get(26)?.idNumber).toBe('33052119791126163X');
    expect(byRow.get(55)?.phone).toBe('13812345678');
  });

  it('imports a floating resident without an arrival date, with a warning, when the town asks for that', () => {
    const r = importBook(csvBook(title, header, damaged), { today, floatingWithoutArrival: 'warning' });
    expect(errorCodes(r)[2]).toBeUndefined();
    expect(r.people.find((p) => p.row === 2)?.person).toMatchObject({ residenceType: 'floating' });
    expect(r.people.find((p) => p.row === 2)?.person.arrivalDate).toBeUndefined();
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'arrival_date.missing', row: 2, field: 'arrivalDate' }));
  });

  it('writes an error file with the rows as written and their reasons, which reads back', () => {
    const r = forms.CSV;
    const parsedAgain = importBook(writeErrorFile(r, 'csv'), { today });
    expect(parsedAgain.fileErrors).toEqual([]);
    expect(parsedAgain.title).toBe('青石镇人口信息台账（错误行）');
    expect(parsedAgain.stats.rows).toBe(r.rejected.length);
    expect(parsedAgain.warnings).toContainEqual(expect.objectContaining({ code: 'header.unknown_column', column: '错误说明' }));
    const xlsx = importBook(writeErrorFile(r, 'xlsx'), { today });
    expect(errorCodes(xlsx)).toEqual(errorCodes(parsedAgain));
  });

  it("marks an error file's title as its error rows once, also when an error file goes round again", () => {
    expect(errorFileTitle('青石镇人口信息台账')).toBe('青石镇人口信息台账（错误行）');
    expect(errorFileTitle('青石镇人口信息台账（错误行）')).toBe('青石镇人口信息台账（错误行）');
    expect(errorFileTitle('青石镇人口信息台账（错误行）（导入错误）')).toBe('青石镇人口信息台账（错误行）');
    expect(errorFileTitle('Qingshi book (error rows)', 'en')).toBe('Qingshi book (error rows)');
    expect(errorFileTitle(undefined)).toMatch(/^[^（]+（错误行）$/);
    // Round trip: the error file of an error file keeps one mark.
    const once = importBook(writeErrorFile(forms.CSV, 'csv'), { today });
    const twice = importBook(writeErrorFile(once, 'csv'), { today });
    expect(twice.title).toBe('青石镇人口信息台账（错误行）');
    expect(twice.title?.match(/错误行/g)).toHaveLength(1);
  });

  it('refuses a file without a required column as a whole', () => {
    const without = (name: string) => {
      const c = header.indexOf(name);
      return csvBook(
        title,
        header.filter((_, i) => i !== c),
        rows.map((r) => r.filter((_, i) => i !== c)),
      );
    };
    const r = importBook(without('公民身份号码'), { today });
    expect(r.fileErrors).toEqual([expect.objectContaining({ code: 'file.missing_column', field: 'idNumber', severity: 'error' })]);
    expect(r.people).toEqual([]);
    expect(r.rejected).toEqual([]);
    expect(() => assertBookUsable(r)).toThrow(AppError);
    try {
      assertBookUsable(r);
    } catch (e) {
      expect(e).toMatchObject({ code: 'book.file_invalid', status: 422, field: 'idNumber' });
    }
    // Gender and birth date are optional columns: the ID number carries both.
    const noGender = importBook(without('性别'), { today });
    expect(noGender.fileErrors).toEqual([]);
    expect(people(noGender)).toEqual(people(importBook(fixture('book-utf8.csv'), { today })));
  });

  it('refuses files it cannot read', () => {
    const codes = (bytes: Uint8Array) => importBook(bytes, { today }).fileErrors.map((e) => e.code);
    expect(codes(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toEqual(['file.xls_unsupported']);
    expect(codes(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual(['file.unreadable']);
    expect(codes(new TextEncoder().encode('a,b,c\r\n1,2,3\r\n'))).toEqual(['file.header_not_found']);
    expect(codes(new Uint8Array())).toEqual(['file.header_not_found']);
    const open = `${title}\r\n${header.join(',')}\r\n1,"H00001,严晓\r\n2,H00001\r\n`;
    expect(codes(new TextEncoder().encode(open))).toEqual(['file.csv_unterminated_quote']);
    expect(importBook(fixture('book-utf8.csv'), { today, maxRows: 100 }).fileErrors.map((e) => e.code)).toEqual(['file.too_many_rows']);
  });
});

describe('headers by meaning', () => {
  const { title, header, rows } = sampleTable();
  const renamed: Record<string, string> = {
    公民身份号码: '身份证号',
    联系电话: '手机号码',
    所属网格: '网格',
    出生日期: '出生年月日',
    所属社区: '社区（村）',
    户编号: '户号',
    姓名: '*姓 名',
    院落楼栋: '楼栋',
    门牌号: '住址',
    人口类型: '人口类型（必填）',
  };

  it('maps aliases, spacing, full-width brackets, asterisks and another column order to the same records', () => {
    const order = [...header.keys()].reverse();
    const newHeader = [...order.map((i) => renamed[header[i] as string] ?? (header[i] as string)), '籍贯'];
    const newRows = rows.map((r) => [...order.map((i) => r[i] as string), '浙江']);
    const r = importBook(csvBook(title, newHeader, newRows), { today });
    expect(r.fileErrors).toEqual([]);
    expect(r.rejected).toEqual([]);
    expect(people(r)).toEqual(people(importBook(fixture('book.csv'), { today })));
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'header.unknown_column', column: '籍贯', severity: 'warning' }));
  });

  it('finds the header below several title lines and with no title at all', () => {
    const more = importBook(csvBook(title, ['制表单位：青石镇', '', '2026年'], []), { today });
    expect(more.fileErrors.map((e) => e.code)).toEqual(['file.header_not_found']);
    const text = new TextDecoder().decode(csvBook(title, header, rows)).replace(title, `${title}\r\n制表单位：青石镇综治中心\r\n`);
    const r = importBook(new TextEncoder().encode(text), { today });
    expect(r.headerRow).toBe(4);
    expect(r.title).toBe(title);
    expect(r.stats.accepted).toBe(400);
    const untitled = importBook(new TextEncoder().encode(text.slice(text.indexOf('序号'))), { today });
    expect(untitled.headerRow).toBe(1);
    expect(untitled.title).toBeUndefined();
    expect(people(untitled)).toEqual(people(r));
  });
});

describe('export', () => {
  const sample = importBook(fixture('book.xlsx'), { today });
  const records = people(sample);

  it('round-trips the sample through CSV', () => {
    const bytes = writeBookCsv(records, { title: sample.title ?? '' });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.subarray(3));
    expect(text.split('\r\n')[0]).toBe('青石镇人口信息台账');
    expect(text.split('\r\n')[1]).toBe(sampleTable().header.join(','));
    expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true);
    const again = importBook(bytes, { today });
    expect(again.rejected).toEqual([]);
    expect(people(again)).toEqual(records);
    expect(again.households).toEqual(sample.households);
  });

  it('round-trips the sample through CSV with the Excel text guard', () => {
    const bytes = writeBookCsv(records, { excelTextGuard: true });
    // Quoted as CSV requires; Excel still takes ="…" as a text formula.
    expect(new TextDecoder().decode(bytes)).toContain(',"=""330523199512069810""","=""17203898668""",');
    expect(people(importBook(bytes, { today }))).toEqual(records);
  });

  it('round-trips the sample through XLSX, with the title merged across the columns', async () => {
    const bytes = writeBookXlsx(records, { title: '青石镇人口信息台账' });
    const again = importBook(bytes, { today });
    expect(again.title).toBe('青石镇人口信息台账');
    expect(again.headerRow).toBe(2);
    expect(people(again)).toEqual(records);
    const { unzipSync, strFromU8 } = await import('fflate');
    const sheet = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml'] as Uint8Array);
    expect(sheet).toContain('<mergeCell ref="A1:Q1"/>');
  });

  it('writes the same bytes for the same records', () => {
    expect(writeBookXlsx(records)).toEqual(writeBookXlsx(records));
  });
});
