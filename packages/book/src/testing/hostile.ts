import { strToU8, zipSync } from 'fflate';

/**
 * Files built to stall or exhaust a book reader, generated on demand (they are small when compressed
 * and never checked in). Each carries the file-error codes a reader may refuse it with.
 */
export type HostileFile = { name: string; fileName: string; bytes: Uint8Array; codes: readonly string[] };

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet workbook with the given sheet XML and, optionally, shared-strings XML. */
export function rawWorkbook(sheetXml: string, shared?: string): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'xl/workbook.xml': strToU8(
      `<workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  };
  if (shared !== undefined) files['xl/sharedStrings.xml'] = strToU8(shared);
  return zipSync(files, { level: 9 });
}

const sheet = (data: string, extra = '') => `<worksheet xmlns="${NS}"><sheetData>${data}</sheetData>${extra}</worksheet>`;
const header =
  '<row r="1"><c t="inlineStr"><is><t>户编号</t></is></c><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>公民身份号码</t></is></c></row>';

/** Rewrites the uncompressed size of every zip entry in both headers, as a zip bomb lies about it. */
export function understateSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    else if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

const csvHead = '户编号,姓名,公民身份号码,所属社区,所属网格,人口类型\r\n';

/** Every kind of hostile file, small enough to upload through the API (under 4 MB each). */
export function hostileFiles(): HostileFile[] {
  const bomb = rawWorkbook(sheet(header + ' '.repeat(40 * 1024 * 1024)));
  const x = (name: string, bytes: Uint8Array, codes: string[]) => ({ name, fileName: `${name}.xlsx`, bytes, codes });
  const c = (name: string, text: string, codes: string[]) => ({ name, fileName: `${name}.csv`, bytes: strToU8(text), codes });
  return [
    x('unclosed rows', rawWorkbook(sheet(header + '<row>'.repeat(200_000))), ['file.malformed']),
    x('unclosed cells', rawWorkbook(sheet(`${header}<row r="2">${'<c>'.repeat(200_000)}</row>`)), ['file.malformed']),
    x('unclosed values', rawWorkbook(sheet(`${header}<row r="2"><c>${'<v>'.repeat(200_000)}</c></row>`)), ['file.malformed']),
    x('unclosed string items', rawWorkbook(sheet(header), `<sst xmlns="${NS}">${'<si><t>'.repeat(200_000)}</sst>`), ['file.malformed']),
    x('endless start tag', rawWorkbook(sheet(`${header}<row r="2" ${'a'.repeat(2_000_000)}`)), ['file.malformed']),
    x('deeply nested tags', rawWorkbook(sheet(`${header}<row r="2">${'<c><is>'.repeat(100_000)}${'</is></c>'.repeat(100_000)}</row>`)), [
      'file.header_not_found',
      'file.missing_column',
      'file.malformed',
    ]),
    x('huge shared-string table', rawWorkbook(sheet(header), `<sst xmlns="${NS}">${'<si><t>x</t></si>'.repeat(600_000)}</sst>`), [
      'file.too_large',
    ]),
    x('zip bomb', bomb, ['file.too_large']),
    x('zip bomb with understated sizes', understateSizes(bomb, 1000), ['file.too_large']),
    x('row far down', rawWorkbook(sheet(`${header}<row r="999999"><c t="inlineStr"><is><t>x</t></is></c></row>`)), ['file.too_large']),
    x('column far right', rawWorkbook(sheet(`${header}<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>`)), [
      'file.too_large',
    ]),
    x('merge bomb', rawWorkbook(sheet(header, `<mergeCells>${'<mergeCell ref="A1:IV60000"/>'.repeat(50)}</mergeCells>`)), [
      'file.too_large',
    ]),
    c('very long cell', `${csvHead}H1,${'王'.repeat(1_000_000)},x\r\n`, ['file.cell_too_long']),
    c('very wide row', `${csvHead}${','.repeat(1_000_000)}\r\n`, ['file.too_many_columns']),
    c('quote never closed', `${csvHead}H1,"${'a,'.repeat(1_000_000)}\r\n`, ['file.cell_too_long', 'file.csv_unterminated_quote']),
    c('too many lines', csvHead + 'a\n'.repeat(1_000_000), ['file.too_many_rows']),
  ];
}
