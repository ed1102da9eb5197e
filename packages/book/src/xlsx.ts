import { strToU8, unzipSync, zipSync } from 'fflate';

/**
 * A deliberately small SpreadsheetML (OOXML) reader and writer: the first visible worksheet, shared
 * and inline strings, numbers, dates by their cell style, and merged cells. Enough for a population
 * book; not a general spreadsheet library.
 */

export class XlsxError extends Error {
  readonly code: 'xlsx.not_a_workbook' | 'xlsx.too_large';
  constructor(code: XlsxError['code'], message: string) {
    super(message);
    this.name = 'XlsxError';
    this.code = code;
  }
}

export type XlsxTable = { sheetName: string; rows: string[][] };

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

// ---------------------------------------------------------------------------------------------- XML

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? '';
    const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Text of a string item: entities decoded, then the OOXML `_xHHHH_` escapes. */
function decodeText(s: string): string {
  return decodeEntities(s).replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out.set(m[1] as string, decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return out;
}

/** Concatenated `<t>` runs of a string item, leaving out phonetic (`<rPh>`) runs. */
function stringItemText(xml: string): string {
  const body = xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
  let out = '';
  for (const m of body.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) out += decodeText(m[1] ?? '');
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Escapes cell text: a literal `_xHHHH_` and characters XML cannot carry become `_xHHHH_` escapes. */
function escapeCellText(s: string): string {
  const guarded = s.replace(/_(x[0-9a-fA-F]{4}_)/g, '_x005F_$1');
  const controls = guarded.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
    /[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g,
    (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );
  return escapeXml(controls);
}

// --------------------------------------------------------------------------------------- references

/** Zero-based column index of a column name (`A` → 0, `AA` → 26). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Column name of a zero-based index (0 → `A`, 26 → `AA`). */
export function columnName(index: number): string {
  let s = '';
  let i = index + 1;
  while (i > 0) {
    const m = (i - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    i = Math.floor((i - 1) / 26);
  }
  return s;
}

function parseRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim());
  if (!m) return null;
  return { col: columnIndex(m[1] as string), row: Number(m[2]) - 1 };
}

// -------------------------------------------------------------------------------------------- dates

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);

function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[yd]/i.test(bare) || /[年月日]/.test(bare);
}

/** Which cell style indexes (`s`) display a date, from styles.xml. */
function dateStyles(stylesXml: string | undefined): Set<number> {
  const out = new Set<number>();
  if (!stylesXml) return out;
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<(?:\w+:)?numFmt\b([^>]*)\/?>/g)) {
    const a = attributes(m[1] ?? '');
    custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml)?.[1] ?? '';
  let index = 0;
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*?)\/?>/g)) {
    const id = Number(attributes(m[1] ?? '').get('numFmtId') ?? '0');
    const code = custom.get(id);
    if (code === undefined ? BUILTIN_DATE_FORMATS.has(id) : isDateFormatCode(code)) out.add(index);
    index++;
  }
  return out;
}

/** A date serial as YYYY-MM-DD (the 1900 system with its phantom 29 February, or the 1904 system). */
export function serialToIsoDate(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  let days = Math.floor(serial);
  if (date1904) days += 1462;
  else if (days === 60) return null;
  else if (days < 60) days += 1;
  return new Date(Date.UTC(1899, 11, 30) + days * 86_400_000).toISOString().slice(0, 10);
}

function numberText(v: string): string {
  const s = v.trim();
  // Spreadsheets keep 15 significant digits: a longer whole number (an 18-digit ID typed into a number
  // cell) has lost its tail. Give it in exponent form so validators can say so instead of a check digit.
  if (/^-?\d{16,}$/.test(s)) return Number(s).toExponential().toUpperCase();
  if (/^-?\d+(\.\d+)?$/.test(s)) return s;
  const n = Number(s);
  // A big number in exponent form has lost digits already: keep Excel's text so validators can say so.
  if (Number.isSafeInteger(n)) return String(n);
  return s;
}

// ------------------------------------------------------------------------------------------ reading

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** Unzips only the named parts (case-insensitive), refusing any part larger than `maxPartBytes`. */
function unzipParts(bytes: Uint8Array, wanted: (name: string) => boolean, maxPartBytes: number): Map<string, string> {
  let tooLarge = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name.toLowerCase())) return false;
        if (f.originalSize > maxPartBytes) {
          tooLarge = true;
          return false;
        }
        return true;
      },
    });
  } catch {
    throw new XlsxError('xlsx.not_a_workbook', 'The file is not a readable XLSX workbook');
  }
  if (tooLarge) throw new XlsxError('xlsx.too_large', 'The workbook is too large to import');
  const decoder = new TextDecoder('utf-8');
  const out = new Map<string, string>();
  for (const [name, data] of Object.entries(files)) out.set(name.toLowerCase(), decoder.decode(data));
  return out;
}

/**
 * Reads the first visible worksheet of an XLSX workbook into rows of strings (index 0 is the
 * sheet's row 1). Dates shown as dates come out as YYYY-MM-DD; merged ranges spanning several
 * rows are filled with their top-left value (a household number merged over its members).
 */
export function readXlsx(bytes: Uint8Array, options: { maxPartBytes?: number } = {}): XlsxTable {
  const maxPartBytes = options.maxPartBytes ?? 256 * 1024 * 1024;
  const meta = unzipParts(
    bytes,
    (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels' || n === 'xl/sharedstrings.xml' || n === 'xl/styles.xml',
    maxPartBytes,
  );
  const workbook = meta.get('xl/workbook.xml');
  if (!workbook) throw new XlsxError('xlsx.not_a_workbook', 'The file is a zip archive but not an XLSX workbook');
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)].map((m) => attributes(m[1] ?? ''));
  const sheet = sheets.find((a) => !/hidden/i.test(a.get('state') ?? '')) ?? sheets[0];
  const relId = sheet ? [...sheet].find(([k]) => k === 'id' || k.endsWith(':id'))?.[1] : undefined;
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*date1904\s*=\s*["'](?:1|true)["']/i.test(workbook);

  let sheetPath = 'xl/worksheets/sheet1.xml';
  for (const m of (meta.get('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g)) {
    const a = attributes(m[1] ?? '');
    if (relId !== undefined && a.get('Id') === relId) sheetPath = resolveTarget(a.get('Target') ?? '');
  }
  const sheetXml = unzipParts(bytes, (n) => n === sheetPath.toLowerCase(), maxPartBytes).get(sheetPath.toLowerCase());
  if (sheetXml === undefined) throw new XlsxError('xlsx.not_a_workbook', 'The workbook has no readable worksheet');

  const shared: string[] = [];
  for (const m of (meta.get('xl/sharedstrings.xml') ?? '').matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)) {
    shared.push(stringItemText(m[1] ?? ''));
  }
  const dates = dateStyles(meta.get('xl/styles.xml'));

  const cells = new Map<number, Map<number, string>>();
  let maxRow = -1;
  let rowCursor = -1;
  for (const rm of sheetXml.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
    const r = attributes(rm[1] ?? '').get('r');
    rowCursor = r !== undefined && /^\d+$/.test(r) ? Number(r) - 1 : rowCursor + 1;
    const row = new Map<number, string>();
    let colCursor = -1;
    for (const cm of (rm[2] ?? '').matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const a = attributes(cm[1] ?? '');
      const ref = parseRef(a.get('r') ?? '');
      colCursor = ref ? ref.col : colCursor + 1;
      const body = cm[2] ?? '';
      const type = a.get('t') ?? 'n';
      const v = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body)?.[1];
      let text = '';
      if (type === 'inlineStr') {
        text = stringItemText(/<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/.exec(body)?.[1] ?? '');
      } else if (v === undefined) {
        text = '';
      } else if (type === 's') {
        text = shared[Number(v)] ?? '';
      } else if (type === 'str' || type === 'e') {
        text = decodeText(v);
      } else if (type === 'b') {
        text = v.trim() === '1' ? 'TRUE' : 'FALSE';
      } else if (type === 'd') {
        text = decodeEntities(v).trim().slice(0, 10);
      } else {
        const style = Number(a.get('s') ?? '0');
        text = (dates.has(style) && serialToIsoDate(Number(v), date1904)) || numberText(decodeEntities(v));
      }
      if (text !== '') row.set(colCursor, text);
    }
    if (row.size > 0) {
      cells.set(rowCursor, row);
      if (rowCursor > maxRow) maxRow = rowCursor;
    }
  }

  // Merged ranges over several rows: every cell of the range takes the top-left value.
  for (const m of sheetXml.matchAll(/<(?:\w+:)?mergeCell\b([^>]*?)\/?>/g)) {
    const [from, to] = (attributes(m[1] ?? '').get('ref') ?? '').split(':');
    const a = parseRef(from ?? '');
    const b = parseRef(to ?? '');
    if (!a || !b || b.row <= a.row) continue;
    const value = cells.get(a.row)?.get(a.col);
    if (value === undefined) continue;
    for (let r = a.row; r <= b.row; r++) {
      let row = cells.get(r);
      if (!row) {
        row = new Map();
        cells.set(r, row);
        if (r > maxRow) maxRow = r;
      }
      for (let c = a.col; c <= b.col; c++) row.set(c, value);
    }
  }

  const rows: string[][] = [];
  for (let r = 0; r <= maxRow; r++) {
    const row = cells.get(r);
    if (!row) {
      rows.push([]);
      continue;
    }
    const width = Math.max(...row.keys()) + 1;
    const dense = new Array<string>(width).fill('');
    for (const [c, text] of row) dense[c] = text;
    rows.push(dense);
  }
  return { sheetName: sheet?.get('name') ?? '', rows };
}

// ------------------------------------------------------------------------------------------ writing

/** Cell styles of the writer: plain, title, header, text data, numeric data. */
export const XLSX_STYLE = { plain: 0, title: 1, header: 2, text: 3, number: 4 } as const;
export type XlsxStyle = (typeof XLSX_STYLE)[keyof typeof XLSX_STYLE];

export type XlsxCell = { value: string | number; style?: XlsxStyle };

export type XlsxSheet = {
  name: string;
  rows: readonly (readonly XlsxCell[])[];
  /** Ranges such as `A1:Q1`. */
  merges?: readonly string[];
  /** Column widths in characters. */
  widths?: readonly number[];
  /** Rows kept in view while scrolling (the title and header). */
  frozenRows?: number;
  /** Row heights in points, by zero-based row index. */
  heights?: Readonly<Record<number, number>>;
};

const STYLES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${MAIN_NS}"><fonts count="3"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font><font><b/><sz val="16"/><name val="宋体"/><family val="3"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf><xf numFmtId="49" fontId="2" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf><xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[[\]:*?/\\]/g, ' ')
    .trim()
    .slice(0, 31);
  return cleaned === '' ? 'Sheet1' : cleaned;
}

/**
 * Writes a one-sheet XLSX workbook. Strings go to the shared-string table; numbers stay numbers.
 * The zip entries carry a fixed timestamp so the same rows always give the same bytes.
 */
export function writeXlsx(sheet: XlsxSheet): Uint8Array {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  let stringCount = 0;
  let maxCol = 0;
  const rowXml: string[] = [];
  sheet.rows.forEach((row, r) => {
    const height = sheet.heights?.[r];
    const cellsXml: string[] = [];
    row.forEach((cell, c) => {
      const ref = `${columnName(c)}${r + 1}`;
      const s = cell.style ? ` s="${cell.style}"` : '';
      if (typeof cell.value === 'number') {
        if (Number.isFinite(cell.value)) cellsXml.push(`<c r="${ref}"${s}><v>${cell.value}</v></c>`);
        return;
      }
      if (cell.value === '') {
        if (cell.style) cellsXml.push(`<c r="${ref}"${s}/>`);
        return;
      }
      let index = stringIndex.get(cell.value);
      if (index === undefined) {
        index = strings.length;
        strings.push(cell.value);
        stringIndex.set(cell.value, index);
      }
      stringCount++;
      cellsXml.push(`<c r="${ref}"${s} t="s"><v>${index}</v></c>`);
    });
    if (row.length > maxCol) maxCol = row.length;
    const ht = height === undefined ? '' : ` ht="${height}" customHeight="1"`;
    rowXml.push(`<row r="${r + 1}"${ht}>${cellsXml.join('')}</row>`);
  });

  const lastRef = `${columnName(Math.max(maxCol, 1) - 1)}${Math.max(sheet.rows.length, 1)}`;
  const frozen = sheet.frozenRows ?? 0;
  const views =
    frozen > 0
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozen}" topLeftCell="A${frozen + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  const cols =
    sheet.widths && sheet.widths.length > 0
      ? `<cols>${sheet.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`
      : '';
  const merges =
    sheet.merges && sheet.merges.length > 0
      ? `<mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`
      : '';
  const worksheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="A1:${lastRef}"/>${views}<sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>${rowXml.join('')}</sheetData>${merges}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;

  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="${MAIN_NS}" count="${stringCount}" uniqueCount="${strings.length}">${strings
    .map((s) => `<si><t xml:space="preserve">${escapeCellText(s)}</t></si>`)
    .join('')}</sst>`;

  const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
  const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets><sheet name="${escapeXml(safeSheetName(sheet.name))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;

  const mtime = new Date(Date.UTC(2020, 0, 1));
  return zipSync(
    {
      '[Content_Types].xml': strToU8(contentTypes),
      '_rels/.rels': strToU8(rootRels),
      'xl/workbook.xml': strToU8(workbook),
      'xl/_rels/workbook.xml.rels': strToU8(workbookRels),
      'xl/styles.xml': strToU8(STYLES_XML),
      'xl/sharedStrings.xml': strToU8(sst),
      'xl/worksheets/sheet1.xml': strToU8(worksheet),
    },
    { level: 6, mtime },
  );
}
