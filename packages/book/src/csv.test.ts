import { describe, expect, it } from 'vitest';
import { decodeCsv, readCsv, splitCsv } from './csv';
import { importBook, readTable } from './index';
import { fixture, sampleTable } from './testing/sample';
import { TODAY } from './testing/arbitraries';

describe('splitCsv', () => {
  it('reads quoted fields holding commas, line breaks and doubled quotes', () => {
    expect(splitCsv('a,"b,c","d\r\ne","f""g"\r\n1,2,3,4\r\n').rows).toEqual([
      ['a', 'b,c', 'd\r\ne', 'f"g'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('takes CRLF, LF and a lone CR as record ends, with or without a final one', () => {
    expect(splitCsv('a,b\r\nc,d\ne,f\rg,h').rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('keeps empty fields, empty records and quotes inside unquoted fields', () => {
    expect(splitCsv(',,\r\n\r\na"b,""\r\n').rows).toEqual([['', '', ''], [''], ['a"b', '']]);
  });

  it('reports a quote that is never closed', () => {
    expect(splitCsv('a,b\r\n"c,d\r\ne,f\r\n')).toMatchObject({ unterminatedQuoteAt: 2 });
  });
});

describe('decodeCsv', () => {
  it('reads GBK (as GB 18030) when the bytes are not UTF-8', () => {
    const gbk = fixture('book.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const { text, encoding } = decodeCsv(gbk);
    expect(encoding).toBe('gb18030');
    expect(text.startsWith('青石镇人口信息台账\r\n序号,户编号,姓名')).toBe(true);
  });

  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeCsv(fixture('book-utf8.csv')).text.startsWith('青石镇')).toBe(true);
    expect(decodeCsv(new TextEncoder().encode('姓名,性别'))).toEqual({ text: '姓名,性别', encoding: 'utf-8' });
  });

  it("reads Excel's tab-separated UTF-16 text", () => {
    const { title, header, rows } = sampleTable();
    const text = [[title], header, ...rows].map((r) => r.join('\t')).join('\r\n');
    const body = new Uint8Array(Buffer.from(text, 'utf16le'));
    const bytes = new Uint8Array([0xff, 0xfe, ...body]);
    expect(readCsv(bytes)).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    const r = importBook(bytes, { today: TODAY });
    expect(r.stats).toMatchObject({ accepted: 400, rejected: 0, households: 131 });
  });
});

describe('readTable (CSV)', () => {
  it('undoes spreadsheet text guards', () => {
    const bytes = new TextEncoder().encode(`"=""330523199512069810""",'=SUM(A1),''-x,'plain\r\n`);
    expect(readTable(bytes).rows).toEqual([['330523199512069810', '=SUM(A1)', "'-x", "'plain"]]);
  });
});
