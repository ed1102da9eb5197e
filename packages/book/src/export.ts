import { BOOK_COLUMNS, BOOK_FIELDS, type BookField } from './columns';
import { joinCsv, utf8WithBom } from './csv';
import { GENDER_LABELS, type PersonRecord, RESIDENCE_TYPE_LABELS, type RejectedRow } from './rows';
import { defaultTagLists, indexTags, tagLabel, type TagLists } from './tags';
import { columnName, writeXlsx, XLSX_STYLE, type XlsxCell } from './xlsx';

export type ExportOptions = {
  /** The title row above the header (default 人口信息台账). */
  title?: string;
  /** XLSX sheet name (default 人口台账). */
  sheetName?: string;
  /** The town's tag lists, for the labels tags are written under. */
  tags?: TagLists;
  /**
   * CSV only: write ID numbers and phones as `="…"` so Excel keeps them as text when it opens the
   * file. Off by default: the sample and most other programs expect plain values. The importer
   * reads both.
   */
  excelTextGuard?: boolean;
};

const DEFAULT_TITLE = '人口信息台账';
const WIDTHS: Record<BookField, number> = {
  seq: 6,
  householdNo: 10,
  name: 10,
  gender: 6,
  ethnicity: 8,
  birthDate: 12,
  idNumber: 21,
  phone: 15,
  community: 12,
  grid: 14,
  courtyard: 10,
  door: 14,
  relation: 10,
  residenceType: 10,
  tags: 18,
  arrivalDate: 12,
  note: 20,
};

/** The header row of the canonical layout. */
export function bookHeader(): string[] {
  return BOOK_COLUMNS.map((c) => c.header);
}

/** A person's cells in the canonical column order (序号 is `seq`). */
export function personCells(person: PersonRecord, seq: number, options: Pick<ExportOptions, 'tags'> = {}): string[] {
  const tags = indexTags(options.tags ?? defaultTagLists());
  const values: Record<BookField, string> = {
    seq: String(seq),
    householdNo: person.householdNo,
    name: person.name,
    gender: GENDER_LABELS[person.gender],
    ethnicity: person.ethnicity ?? '',
    birthDate: person.birthDate,
    idNumber: person.idNumber,
    phone: person.phone ?? '',
    community: person.community,
    grid: person.grid,
    courtyard: person.courtyard ?? '',
    door: person.door ?? '',
    relation: person.relation ?? '',
    residenceType: RESIDENCE_TYPE_LABELS[person.residenceType],
    tags: [...person.tags, ...person.keyTags].map((id) => tagLabel(id, tags)).join('、'),
    arrivalDate: person.arrivalDate ?? '',
    note: person.note ?? '',
  };
  return BOOK_FIELDS.map((f) => values[f]);
}

/** Keeps a spreadsheet from running a cell as a formula (`=…`, `+…`, `-…`, `@…`); the importer undoes it. */
function formulaGuard(value: string): string {
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvBytes(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns: ReadonlySet<number>,
  excelTextGuard: boolean,
): Uint8Array {
  const body = rows.map((row) =>
    row.map((value, c) => (excelTextGuard && textColumns.has(c) && value !== '' ? `="${value}"` : formulaGuard(value))),
  );
  return utf8WithBom(joinCsv([[formulaGuard(title)], header.map(formulaGuard), ...body]));
}

function xlsxBytes(
  title: string,
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  widths: readonly number[],
  numericColumn: number,
): Uint8Array {
  const width = header.length;
  const titleRow: XlsxCell[] = [{ value: title, style: XLSX_STYLE.title }];
  for (let c = 1; c < width; c++) titleRow.push({ value: '', style: XLSX_STYLE.title });
  const headerRow: XlsxCell[] = header.map((h) => ({ value: h, style: XLSX_STYLE.header }));
  const dataRows = rows.map((row) =>
    header.map((_, c): XlsxCell => {
      const value = row[c] ?? '';
      if (c === numericColumn && /^\d{1,9}$/.test(value)) return { value: Number(value), style: XLSX_STYLE.number };
      return { value, style: XLSX_STYLE.text };
    }),
  );
  return writeXlsx({
    name: sheetName,
    rows: [titleRow, headerRow, ...dataRows],
    merges: width > 1 ? [`A1:${columnName(width - 1)}1`] : [],
    widths,
    frozenRows: 2,
    heights: { 0: 30 },
  });
}

const TEXT_COLUMNS = new Set([BOOK_FIELDS.indexOf('idNumber'), BOOK_FIELDS.indexOf('phone')]);

/**
 * Writes people as a CSV book: UTF-8 with a byte-order mark, CRLF, a title row above the header.
 * Key-group tags are written as given: pass records with `keyTags` cleared for a caller without the permission.
 */
export function writeBookCsv(people: readonly PersonRecord[], options: ExportOptions = {}): Uint8Array {
  const rows = people.map((p, i) => personCells(p, i + 1, options));
  return csvBytes(options.title ?? DEFAULT_TITLE, bookHeader(), rows, TEXT_COLUMNS, options.excelTextGuard ?? false);
}

/**
 * Writes people as an XLSX book: the title merged across the columns, the header, then text cells
 * (so ID numbers stay text when edited). Key-group tags are written as given, as for CSV.
 */
export function writeBookXlsx(people: readonly PersonRecord[], options: ExportOptions = {}): Uint8Array {
  const rows = people.map((p, i) => personCells(p, i + 1, options));
  return xlsxBytes(
    options.title ?? DEFAULT_TITLE,
    options.sheetName ?? '人口台账',
    bookHeader(),
    rows,
    BOOK_FIELDS.map((f) => WIDTHS[f]),
    0,
  );
}

/** What the error file is made from; an `importBook` result fits. */
export type ErrorFileSource = { headers: readonly string[]; title?: string; rejected: readonly RejectedRow[] };

/** The rejected rows of an import as a table: the file's own header and cells plus a 错误说明 column. */
export function errorRows(source: ErrorFileSource, lang: 'zh' | 'en' = 'zh'): { header: string[]; rows: string[][] } {
  const header = [...source.headers, lang === 'zh' ? '错误说明' : 'Errors'];
  const width = source.headers.length;
  const rows = source.rejected.map((r) => {
    const cells = Array.from({ length: width }, (_, c) => r.cells[c] ?? '');
    const reasons = r.issues.map((i) => i.message[lang]).join(lang === 'zh' ? '；' : '; ');
    return [...cells, `${lang === 'zh' ? `第 ${r.row} 行：` : `Row ${r.row}: `}${reasons}`];
  });
  return { header, rows };
}

const ERROR_SUFFIX = { zh: '（错误行）', en: ' (error rows)' } as const;
/** Suffixes an error file's title may already carry, e.g. when an error file is imported again. */
const SPENT_SUFFIX = /(\s*(（错误行）|（导入错误）|\(error rows\)|\(import errors\)))+$/;

/** The title of an error file: the book's title marked once as its error rows, however often it went round. */
export function errorFileTitle(bookTitle: string | undefined, lang: 'zh' | 'en' = 'zh'): string {
  const base = (bookTitle ?? DEFAULT_TITLE).replace(SPENT_SUFFIX, '').trim() || DEFAULT_TITLE;
  return `${base}${ERROR_SUFFIX[lang]}`;
}

/**
 * Writes the error file of an import (the rows to fix, as the user wrote them, with the reasons),
 * as CSV or XLSX, so it can be corrected and imported again. It holds personal data as the user
 * uploaded it: serve it like any other response with personal data (no-store, never logged).
 */
export function writeErrorFile(
  source: ErrorFileSource,
  format: 'csv' | 'xlsx',
  options: { lang?: 'zh' | 'en'; title?: string } = {},
): Uint8Array {
  const lang = options.lang ?? 'zh';
  const { header, rows } = errorRows(source, lang);
  const title = options.title ?? errorFileTitle(source.title, lang);
  if (format === 'csv') return csvBytes(title, header, rows, new Set(), false);
  const widths = header.map((_, c) => (c === header.length - 1 ? 60 : 14));
  return xlsxBytes(title, lang === 'zh' ? '导入错误' : 'Errors', header, rows, widths, -1);
}
