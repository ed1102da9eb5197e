import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importBook } from './index';
import { TODAY } from './testing/arbitraries';
import { columnIndex, columnName, readXlsx, serialToIsoDate, writeXlsx } from './xlsx';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A hand-made workbook: the parts are written as given, to test the reader on what other programs write. */
function workbook(parts: {
  sheets?: string;
  rels?: string;
  shared?: string;
  styles?: string;
  files: Record<string, string>;
  workbookPr?: string;
}) {
  const files: Record<string, Uint8Array> = {
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${R}">${parts.workbookPr ?? ''}<sheets>${
        parts.sheets ?? '<sheet name="S" sheetId="1" r:id="rId1"/>'
      }</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${
        parts.rels ?? `<Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/>`
      }</Relationships>`,
    ),
  };
  if (parts.shared !== undefined) files['xl/sharedStrings.xml'] = strToU8(`<sst xmlns="${NS}">${parts.shared}</sst>`);
  if (parts.styles !== undefined) files['xl/styles.xml'] = strToU8(`<styleSheet xmlns="${NS}">${parts.styles}</styleSheet>`);
  for (const [name, xml] of Object.entries(parts.files)) files[name] = strToU8(xml);
  return zipSync(files);
}

const sheet = (rows: string, extra = '') => `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData>${extra}</worksheet>`;

describe('readXlsx', () => {
  it('reads shared strings with rich-text runs (leaving out phonetic runs), inline strings and escapes', () => {
    const bytes = workbook({
      shared:
        '<si><t>姓名</t></si><si><r><t>王</t></r><r><rPr><b/></rPr><t xml:space="preserve">小 明</t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></si><si><t>a&amp;b&lt;c_x000D_d_x005F_x0041_</t></si>',
      files: {
        'xl/worksheets/sheet1.xml': sheet(
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="E1" t="inlineStr"><is><t>行内</t></is></c><c r="F1" t="str"><v>公式</v></c><c r="G1" t="b"><v>1</v></c></row>',
        ),
      },
    });
    expect(readXlsx(bytes).rows).toEqual([['姓名', '王小 明', 'a&b<c\rd_x0041_', '', '行内', '公式', 'TRUE']]);
  });

  it('formats numbers as text, keeps exponent forms that lost digits, and shows date-styled numbers as dates', () => {
    const bytes = workbook({
      styles:
        '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="49"/></cellXfs>',
      files: {
        'xl/worksheets/sheet1.xml': sheet(
          '<row r="1"><c r="A1"><v>13812345678</v></c><c r="B1"><v>3.3052319951206982E+17</v></c><c r="C1" s="1"><v>35039</v></c><c r="D1" s="2"><v>45474.5</v></c><c r="E1" s="3"><v>12</v></c><c r="F1"><v>1.5</v></c><c r="G1" t="d"><v>2024-07-01T00:00:00</v></c></row>',
        ),
      },
    });
    expect(readXlsx(bytes).rows).toEqual([
      ['13812345678', '3.3052319951206982E+17', '1995-12-06', '2024-07-01', '12', '1.5', '2024-07-01'],
    ]);
  });

  it('counts days from 1904 when the workbook says so', () => {
    const bytes = workbook({
      workbookPr: '<workbookPr date1904="1"/>',
      styles: '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>',
      files: { 'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" s="1"><v>33577</v></c></row>') },
    });
    expect(readXlsx(bytes).rows).toEqual([['1995-12-06']]);
  });

  it('fills merged ranges spanning rows with their top-left value, and leaves a merged title row alone', () => {
    const bytes = workbook({
      files: {
        'xl/worksheets/sheet1.xml': sheet(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>H1</t></is></c><c r="B2" t="inlineStr"><is><t>甲</t></is></c></row><row r="3"><c r="B3" t="inlineStr"><is><t>乙</t></is></c></row>',
          '<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A2:A3"/></mergeCells>',
        ),
      },
    });
    expect(readXlsx(bytes).rows).toEqual([['标题'], ['H1', '甲'], ['H1', '乙']]);
  });

  it('takes the first visible sheet through its relationship, with prefixed elements and cells without references', () => {
    const bytes = workbook({
      sheets: '<sheet name="hidden" sheetId="1" state="hidden" r:id="rId1"/><sheet name="台账" sheetId="2" r:id="rId2"/>',
      rels: `<Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${R}/worksheet" Target="/xl/worksheets/book.xml"/>`,
      files: {
        'xl/worksheets/sheet1.xml': sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>wrong</t></is></c></row>'),
        'xl/worksheets/book.xml': `<x:worksheet xmlns:x="${NS}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>b</x:t></x:is></x:c></x:row><x:row r="3"><x:c r="B3"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
      },
    });
    expect(readXlsx(bytes)).toEqual({ sheetName: '台账', rows: [['a', 'b'], [], ['', '7']] });
  });

  it('refuses a zip that is not a workbook, and parts above the size limit', () => {
    expect(() => readXlsx(zipSync({ 'a.txt': strToU8('x') }))).toThrow(/not an XLSX/);
    const bytes = workbook({ files: { 'xl/worksheets/sheet1.xml': sheet('<row r="1"></row>') } });
    expect(() => readXlsx(bytes, { maxPartBytes: 10 })).toThrow(/too large/);
  });
});

describe('an ID number Excel stored as a number', () => {
  it('is refused with id.scientific', () => {
    const header = ['户编号', '姓名', '公民身份号码', '所属社区', '所属网格', '人口类型'];
    const bytes = writeXlsx({
      name: 'S',
      rows: [
        header.map((value) => ({ value })),
        [
          { value: 'H1' },
          { value: '王明' },
          { value: 3.3052319951206982e17 },
          { value: '柳河社区' },
          { value: '第一网格' },
          { value: '户籍人口' },
        ],
      ],
    });
    const r = importBook(bytes, { today: TODAY });
    expect(r.rejected[0]?.issues.map((i) => i.code)).toEqual(['id.scientific']);
  });
});

describe('helpers', () => {
  it('converts column names', () => {
    expect([0, 25, 26, 16, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'Q', 'ZZ', 'AAA']);
    expect(['A', 'Z', 'AA', 'Q', 'ZZ', 'AAA'].map(columnIndex)).toEqual([0, 25, 26, 16, 701, 702]);
  });

  it('converts date serials around the 1900 leap-year bug', () => {
    expect(serialToIsoDate(1)).toBe('1900-01-01');
    expect(serialToIsoDate(59)).toBe('1900-02-28');
    expect(serialToIsoDate(60)).toBeNull();
    expect(serialToIsoDate(61)).toBe('1900-03-01');
    expect(serialToIsoDate(45000)).toBe('2023-03-15');
    expect(serialToIsoDate(0)).toBeNull();
  });
});
