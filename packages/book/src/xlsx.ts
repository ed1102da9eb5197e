import { Inflate, strToU8, zipSync } from 'fflate';

/**
 * A deliberately small SpreadsheetML (OOXML) reader and writer: the first visible worksheet, shared
 * and inline strings, numbers, dates by their cell style, and merged cells. Enough for a population
 * book; not a general spreadsheet library.
 */

export class XlsxError extends Error {
  readonly code: 'xlsx.not_a_workbook' | 'xlsx.too_large' | 'xlsx.malformed' | 'xlsx.cell_too_long';
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

/**
 * The longest start tag the reader accepts. Real parts never come near it; the bound keeps the
 * attribute pattern (and everything else that looks inside a tag) from running over a hostile megabyte.
 */
const MAX_TAG_CHARS = 4096;

type Element = { attrs: string; body: string };

/**
 * The elements with local name `name` (any namespace prefix) in `xml` between `from` and `to`, in
 * order. One pass forward: every search starts where the previous element ended, so the cost is
 * linear in the part's length whatever it holds. An element that is opened and never closed, or a
 * start tag that never ends, makes the part malformed; the reader does not guess what was meant.
 */
function* elements(xml: string, name: string, from = 0, to = xml.length): Generator<Element> {
  const open = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])`, 'g');
  const close = new RegExp(`</(?:[\\w.-]+:)?${name}\\s*>`, 'g');
  open.lastIndex = from;
  for (;;) {
    const m = open.exec(xml);
    if (!m || m.index >= to) return;
    const tagEnd = xml.indexOf('>', m.index);
    if (tagEnd < 0 || tagEnd >= to || tagEnd - m.index > MAX_TAG_CHARS) throw malformed();
    const selfClosing = xml[tagEnd - 1] === '/';
    const attrs = xml.slice(m.index + m[0].length, selfClosing ? tagEnd - 1 : tagEnd);
    if (selfClosing) {
      open.lastIndex = tagEnd + 1;
      yield { attrs, body: '' };
      continue;
    }
    close.lastIndex = tagEnd + 1;
    const c = close.exec(xml);
    if (!c || c.index + c[0].length > to) throw malformed();
    open.lastIndex = c.index + c[0].length;
    yield { attrs, body: xml.slice(tagEnd + 1, c.index) };
  }
}

/** The first element named `name`, or undefined. */
function firstElement(xml: string, name: string): Element | undefined {
  for (const e of elements(xml, name)) return e;
  return undefined;
}

function malformed(): XlsxError {
  return new XlsxError('xlsx.malformed', 'A part of the workbook is not well-formed XML');
}

/** Concatenated `<t>` runs of a string item, leaving out phonetic (`<rPh>`) runs. */
function stringItemText(xml: string): string {
  let out = '';
  const visit = (from: number, to: number) => {
    // Text runs outside phonetic runs: walk the phonetic runs and read the stretches between them.
    for (const t of elements(xml, 't', from, to)) out += decodeText(t.body);
  };
  let at = 0;
  const rph = /<(?:[\w.-]+:)?rPh(?=[\s/>])/g;
  for (;;) {
    rph.lastIndex = at;
    const m = rph.exec(xml);
    if (!m) break;
    visit(at, m.index);
    const end = /<\/(?:[\w.-]+:)?rPh\s*>/g;
    end.lastIndex = m.index;
    const e = end.exec(xml);
    if (!e) throw malformed();
    at = e.index + e[0].length;
  }
  visit(at, xml.length);
  if (out.length > MAX_CELL_CHARS) throw new XlsxError('xlsx.cell_too_long', 'A cell holds more text than a spreadsheet cell can');
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
  for (const e of elements(stylesXml, 'numFmt')) {
    const a = attributes(e.attrs);
    custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
  }
  const xfs = firstElement(stylesXml, 'cellXfs')?.body ?? '';
  let index = 0;
  for (const e of elements(xfs, 'xf')) {
    const id = Number(attributes(e.attrs).get('numFmtId') ?? '0');
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

/** Limits of the reader; a part or sheet beyond them is refused, never read slowly. */
export type XlsxLimits = {
  /** Largest uncompressed part (default 32 MiB). */
  maxPartBytes?: number;
  /** Highest sheet row read (default 60,000). */
  maxRows?: number;
  /** Highest column read (default 256, column IV). */
  maxColumns?: number;
  /** Most cells, merged cells included (default 2,000,000). */
  maxCells?: number;
  /** Most shared strings (default 500,000). */
  maxStrings?: number;
};

/** Excel's own limit on the text of one cell. */
const MAX_CELL_CHARS = 32_767;
// Small steps: one step of deflate input can grow a thousandfold, and the size check runs between steps.
const INFLATE_CHUNK = 1024;

type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

const u16 = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, i: number) => (u16(b, i) | (u16(b, i + 2) << 16)) >>> 0;

/** The central directory of a zip archive (no Zip64: a book never needs it). */
function zipEntries(bytes: Uint8Array): ZipEntry[] {
  // The end-of-directory record is within the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxError('xlsx.not_a_workbook', 'The file is not a readable XLSX workbook');
  const count = u16(bytes, eocd + 10);
  let at = u32(bytes, eocd + 16);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) throw new XlsxError('xlsx.not_a_workbook', 'The zip directory is damaged');
    const nameLength = u16(bytes, at + 28);
    entries.push({
      method: u16(bytes, at + 10),
      compressedSize: u32(bytes, at + 20),
      size: u32(bytes, at + 24),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      localOffset: u32(bytes, at + 42),
    });
    at += 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return entries;
}

/**
 * The bytes of one zip entry, inflated in small steps so that an entry whose header understates its
 * size (a zip bomb) is stopped as soon as it passes `limit`, not after it has filled memory.
 */
function inflateEntry(bytes: Uint8Array, entry: ZipEntry, limit: number): Uint8Array {
  const tooLarge = () => new XlsxError('xlsx.too_large', 'The workbook is too large to import');
  if (entry.size > limit) throw tooLarge();
  const at = entry.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50) throw new XlsxError('xlsx.not_a_workbook', 'The zip entry is damaged');
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const data = bytes.subarray(start, Math.min(bytes.length, start + entry.compressedSize));
  if (entry.method === 0) {
    if (data.length > limit) throw tooLarge();
    return data;
  }
  if (entry.method !== 8) throw new XlsxError('xlsx.not_a_workbook', 'The workbook uses an unknown compression');
  const chunks: Uint8Array[] = [];
  let total = 0;
  // More output than the header declared means the header lies: stop there, not at the part limit.
  const allowed = Math.min(limit, entry.size);
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > allowed) throw tooLarge();
    chunks.push(chunk);
  });
  try {
    for (let i = 0; i < data.length; i += INFLATE_CHUNK)
      inflater.push(data.subarray(i, i + INFLATE_CHUNK), i + INFLATE_CHUNK >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof XlsxError) throw e;
    throw new XlsxError('xlsx.not_a_workbook', 'The file is not a readable XLSX workbook');
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Reads only the named parts (case-insensitive), each as UTF-8 text, refusing any part larger than `maxPartBytes`. */
function unzipParts(bytes: Uint8Array, wanted: (name: string) => boolean, maxPartBytes: number): Map<string, string> {
  const decoder = new TextDecoder('utf-8');
  const out = new Map<string, string>();
  for (const entry of zipEntries(bytes)) {
    const name = entry.name.toLowerCase();
    if (!wanted(name) || out.has(name)) continue;
    out.set(name, decoder.decode(inflateEntry(bytes, entry, maxPartBytes)));
  }
  return out;
}

/**
 * Reads the first visible worksheet of an XLSX workbook into rows of strings (index 0 is the
 * sheet's row 1). Dates shown as dates come out as YYYY-MM-DD; merged ranges spanning several
 * rows are filled with their top-left value (a household number merged over its members). Linear in
 * the size of the parts; anything beyond `limits` throws an `XlsxError` rather than being read slowly.
 */
export function readXlsx(bytes: Uint8Array, limits: XlsxLimits = {}): XlsxTable {
  const maxPartBytes = limits.maxPartBytes ?? 32 * 1024 * 1024;
  const maxRows = limits.maxRows ?? 60_000;
  const maxColumns = limits.maxColumns ?? 256;
  const maxCells = limits.maxCells ?? 2_000_000;
  const maxStrings = limits.maxStrings ?? 500_000;
  const tooMany = (what: string) => new XlsxError('xlsx.too_large', `The worksheet has too many ${what}`);
  const meta = unzipParts(
    bytes,
    (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels' || n === 'xl/sharedstrings.xml' || n === 'xl/styles.xml',
    maxPartBytes,
  );
  const workbook = meta.get('xl/workbook.xml');
  if (!workbook) throw new XlsxError('xlsx.not_a_workbook', 'The file is a zip archive but not an XLSX workbook');
  const sheets = [...elements(workbook, 'sheet')].map((e) => attributes(e.attrs));
  const sheet = sheets.find((a) => !/hidden/i.test(a.get('state') ?? '')) ?? sheets[0];
  const relId = sheet ? [...sheet].find(([k]) => k === 'id' || k.endsWith(':id'))?.[1] : undefined;
  const pr = firstElement(workbook, 'workbookPr');
  const date1904 = pr !== undefined && /^(1|true)$/i.test(attributes(pr.attrs).get('date1904') ?? '');

  let sheetPath = 'xl/worksheets/sheet1.xml';
  for (const e of elements(meta.get('xl/_rels/workbook.xml.rels') ?? '', 'Relationship')) {
    const a = attributes(e.attrs);
    if (relId !== undefined && a.get('Id') === relId) sheetPath = resolveTarget(a.get('Target') ?? '');
  }
  const sheetXml = unzipParts(bytes, (n) => n === sheetPath.toLowerCase(), maxPartBytes).get(sheetPath.toLowerCase());
  if (sheetXml === undefined) throw new XlsxError('xlsx.not_a_workbook', 'The workbook has no readable worksheet');

  const shared: string[] = [];
  const sst = meta.get('xl/sharedstrings.xml') ?? '';
  // Counting first costs one indexOf pass and refuses an oversized table before any of it is read.
  let items = 0;
  for (let at = sst.indexOf('<si'); at >= 0; at = sst.indexOf('<si', at + 3)) if (++items > maxStrings) throw tooMany('shared strings');
  for (const e of elements(sst, 'si')) {
    if (shared.length >= maxStrings) throw tooMany('shared strings');
    shared.push(stringItemText(e.body));
  }
  const dates = dateStyles(meta.get('xl/styles.xml'));

  const cells = new Map<number, Map<number, string>>();
  let maxRow = -1;
  let rowCursor = -1;
  let cellCount = 0;
  const sheetData = firstElement(sheetXml, 'sheetData')?.body ?? '';
  for (const rm of elements(sheetData, 'row')) {
    const r = attributes(rm.attrs).get('r');
    rowCursor = r !== undefined && /^\d{1,7}$/.test(r) ? Number(r) - 1 : rowCursor + 1;
    if (rowCursor >= maxRows) throw tooMany('rows');
    const row = new Map<number, string>();
    let colCursor = -1;
    for (const cm of elements(rm.body, 'c')) {
      if (++cellCount > maxCells) throw tooMany('cells');
      const a = attributes(cm.attrs);
      const ref = parseRef(a.get('r') ?? '');
      colCursor = ref ? ref.col : colCursor + 1;
      if (colCursor >= maxColumns) throw tooMany('columns');
      const body = cm.body;
      const type = a.get('t') ?? 'n';
      const v = firstElement(body, 'v')?.body;
      let text = '';
      if (type === 'inlineStr') {
        text = stringItemText(firstElement(body, 'is')?.body ?? '');
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
      if (text.length > MAX_CELL_CHARS) throw new XlsxError('xlsx.cell_too_long', 'A cell holds more text than a spreadsheet cell can');
      if (text !== '') row.set(colCursor, text);
    }
    if (row.size > 0) {
      cells.set(rowCursor, row);
      if (rowCursor > maxRow) maxRow = rowCursor;
    }
  }

  // Merged ranges over several rows: every cell of the range takes the top-left value. A range is
  // clipped to the sheet's limits and its cells count against them, so `A1:XFD1048576` costs nothing.
  for (const m of elements(sheetXml, 'mergeCell')) {
    const [from, to] = (attributes(m.attrs).get('ref') ?? '').split(':');
    const a = parseRef(from ?? '');
    const b = parseRef(to ?? '');
    if (!a || !b || b.row <= a.row) continue;
    const value = cells.get(a.row)?.get(a.col);
    if (value === undefined) continue;
    const lastRow = Math.min(b.row, maxRows - 1);
    const lastCol = Math.min(b.col, maxColumns - 1);
    cellCount += (lastRow - a.row + 1) * Math.max(0, lastCol - a.col + 1);
    if (cellCount > maxCells) throw tooMany('cells');
    for (let r = a.row; r <= lastRow; r++) {
      let row = cells.get(r);
      if (!row) {
        row = new Map();
        cells.set(r, row);
        if (r > maxRow) maxRow = r;
      }
      for (let c = a.col; c <= lastCol; c++) row.set(c, value);
    }
  }

  const rows: string[][] = [];
  for (let r = 0; r <= maxRow; r++) {
    const row = cells.get(r);
    if (!row) {
      rows.push([]);
      continue;
    }
    let width = 0;
    for (const c of row.keys()) if (c + 1 > width) width = c + 1;
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
