import { type BookField, bookColumn, type ColumnMapping, fieldForHeader, headerScore, resolveColumns, type UserMapping } from './columns';
import { type CsvEncoding, type CsvTable, readCsv } from './csv';
import type { BookIssue } from './issues';
import { cleanCell } from './text';
import { readXlsx, XlsxError } from './xlsx';

export type BookFormat = 'xlsx' | 'csv';

/** The raw table of a file, before the header is found. */
export type BookTable = {
  format: BookFormat;
  encoding?: CsvEncoding;
  rows: string[][];
  fileErrors: BookIssue[];
};

/** One data row as read: its cells as written and, by field, the cleaned text of the mapped columns. */
export type RawBookRow = {
  row: number;
  sheetRow: number;
  cells: string[];
  values: Partial<Record<BookField, string>>;
};

export type ParsedBook = {
  format: BookFormat;
  encoding?: CsvEncoding;
  /** The title row above the header (e.g. 青石镇人口信息台账), when there is one. */
  title?: string;
  /** The header row's position in the sheet, counted from 1; 0 when no header was found. */
  headerRow: number;
  headers: string[];
  fields: Partial<Record<BookField, number>>;
  /** Every column of the header row: the field it was mapped to and how that was decided, or ignored. */
  columns: ColumnMapping[];
  rows: RawBookRow[];
  fileErrors: BookIssue[];
  warnings: BookIssue[];
};

export type ParseOptions = {
  /** Refuse files with more data rows than this (default 50,000). */
  maxRows?: number;
  /** Largest uncompressed part of an XLSX file (default 32 MiB). */
  maxPartBytes?: number;
  /** The user's choice of field per header text, over what names and content would decide. */
  mapping?: UserMapping;
};

function fileError(code: string, zh: string, en: string, extra: Partial<BookIssue> = {}): BookIssue {
  return { severity: 'error', code, message: { zh, en }, ...extra };
}

const HEADER_SEARCH_ROWS = 30;
/** Data rows whose values are looked at to propose a field for an unrecognised column. */
const CONTENT_SAMPLE_ROWS = 200;
const MIN_HEADER_SCORE = 3;
/** A book has about twenty columns; a row far wider is not a book, and reading it costs for nothing. */
const MAX_COLUMNS = 256;
/** Excel's own limit on the text of one cell. */
const MAX_CELL_CHARS = 32_767;

/** Whether the bytes are a zip archive (XLSX); legacy .xls (OLE2) is told apart to say so. */
export function sniffFormat(bytes: Uint8Array): BookFormat | 'xls' {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  return 'csv';
}

/** Undoes what spreadsheet users and our CSV export do to keep text as text (`="0123"`, `'=…`). */
function unguardCsvCell(s: string): string {
  const formula = /^="([\s\S]*)"$/.exec(s);
  if (formula) return (formula[1] ?? '').replace(/""/g, '"');
  if (/^'+[=+\-@\t\r]/.test(s)) return s.slice(1);
  return s;
}

/**
 * The header cells of row `i`. A two-level header (group labels above, 序号/姓名 merged down over both
 * rows) saves to CSV with the merged names only in the upper row: those fill the row's blank cells.
 */
function headerCells(rows: readonly (readonly string[])[], i: number): string[] {
  const own = rows[i] ?? [];
  const upper = i > 0 ? (rows[i - 1] ?? []) : [];
  const cells = Array.from({ length: Math.max(own.length, upper.length) }, (_, c) => {
    const mine = cleanCell(own[c] ?? '');
    const above = cleanCell(upper[c] ?? '');
    return mine === '' && fieldForHeader(above) !== null ? above : mine;
  });
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

/** Reads a file's bytes into a table of strings: XLSX by its zip signature, otherwise CSV. */
export function readTable(bytes: Uint8Array, options: ParseOptions = {}): BookTable {
  const format = sniffFormat(bytes);
  if (format === 'xls') {
    return {
      format: 'xlsx',
      rows: [],
      fileErrors: [
        fileError(
          'file.xls_unsupported',
          '不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入',
          'Legacy Excel (.xls) files are not supported; save the sheet as .xlsx or CSV and import that',
        ),
      ],
    };
  }
  const maxRows = options.maxRows ?? 50_000;
  if (format === 'xlsx') {
    try {
      const table = readXlsx(bytes, {
        ...(options.maxPartBytes === undefined ? {} : { maxPartBytes: options.maxPartBytes }),
        // The header may sit below a title and notes; rows past that and the row limit are refused here.
        maxRows: maxRows + HEADER_SEARCH_ROWS + 1,
        maxColumns: MAX_COLUMNS,
      });
      return { format, rows: table.rows, fileErrors: [] };
    } catch (e) {
      if (!(e instanceof XlsxError)) throw e;
      return { format, rows: [], fileErrors: [xlsxFileError(e)] };
    }
  }
  const csv = readCsv(bytes, { maxRecords: maxRows + HEADER_SEARCH_ROWS + 1, maxFields: MAX_COLUMNS, maxFieldChars: MAX_CELL_CHARS });
  if (csv.overLimit) return { format, encoding: csv.encoding, rows: [], fileErrors: [csvLimitError(csv.overLimit, maxRows)] };
  const fileErrors: BookIssue[] = [];
  if (csv.unterminatedQuoteAt !== undefined) {
    fileErrors.push(
      fileError(
        'file.csv_unterminated_quote',
        `CSV 文件第 ${csv.unterminatedQuoteAt} 行的引号没有闭合，其后的内容无法可靠读取`,
        `A quoted field opened in record ${csv.unterminatedQuoteAt} of the CSV file is never closed; what follows cannot be read reliably`,
        { sheetRow: csv.unterminatedQuoteAt },
      ),
    );
  }
  return { format, encoding: csv.encoding, rows: csv.rows.map((r) => r.map(unguardCsvCell)), fileErrors };
}

/** Codes of the file errors that mean the bytes could not be read as a table at all. */
export const UNREADABLE_FILE_CODES: readonly string[] = [
  'file.xls_unsupported',
  'file.unreadable',
  'file.malformed',
  'file.too_large',
  'file.too_many_columns',
  'file.cell_too_long',
];

function xlsxFileError(e: XlsxError): BookIssue {
  switch (e.code) {
    case 'xlsx.too_large':
      return fileError(
        'file.too_large',
        '工作簿过大（行、列、单元格或内容超过导入上限），请分批导入',
        `The workbook is too large to import (${e.message.replace(/^The /, 'the ').replace(/\.$/, '')}); import it in parts`,
      );
    case 'xlsx.malformed':
      return fileError(
        'file.malformed',
        'Excel 文件内部结构损坏（XML 标签未闭合），请在 Excel 中重新保存后再导入',
        'The workbook is damaged inside (an XML tag is never closed); open and save it again in Excel, then import that',
      );
    case 'xlsx.cell_too_long':
      return fileError(
        'file.cell_too_long',
        `有单元格超过 ${MAX_CELL_CHARS} 个字符，无法导入`,
        `A cell holds more than ${MAX_CELL_CHARS} characters; the file cannot be imported`,
      );
    default:
      return fileError('file.unreadable', '无法读取该 Excel 文件，请确认是 .xlsx 格式', 'The file could not be read as an .xlsx workbook');
  }
}

/** The file error for the first limit a CSV file broke (reading stopped there). */
function csvLimitError(over: NonNullable<CsvTable['overLimit']>, maxRows: number): BookIssue {
  const at = over.at;
  switch (over.limit) {
    case 'records':
      return fileError(
        'file.too_many_rows',
        `文件超过 ${maxRows} 行，请分批导入`,
        `The file has more than ${maxRows} rows; import it in parts`,
      );
    case 'fields':
      return fileError(
        'file.too_many_columns',
        `CSV 文件第 ${at} 行超过 ${MAX_COLUMNS} 列，无法导入`,
        `Record ${at} of the CSV file has more than ${MAX_COLUMNS} columns; the file cannot be imported`,
        { sheetRow: at },
      );
    default:
      return fileError(
        'file.cell_too_long',
        `CSV 文件第 ${at} 行有单元格超过 ${MAX_CELL_CHARS} 个字符，无法导入`,
        `Record ${at} of the CSV file has a cell of more than ${MAX_CELL_CHARS} characters; the file cannot be imported`,
        { sheetRow: at },
      );
  }
}

/**
 * Finds the header row of a table (the row among the first thirty whose cells name the most known
 * columns, so a title row above it is skipped), maps its columns by meaning and returns the data rows
 * below it. File-level errors: no header row, a required column missing, too many rows.
 */
export function locateBook(table: BookTable, options: ParseOptions = {}): ParsedBook {
  const base = {
    format: table.format,
    ...(table.encoding === undefined ? {} : { encoding: table.encoding }),
    headerRow: 0,
    headers: [] as string[],
    fields: {},
    columns: [] as ColumnMapping[],
    rows: [] as RawBookRow[],
    warnings: [] as BookIssue[],
  };
  if (table.fileErrors.length > 0) return { ...base, fileErrors: table.fileErrors };

  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(HEADER_SEARCH_ROWS, table.rows.length); i++) {
    const score = headerScore(headerCells(table.rows, i));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  if (best < 0 || bestScore < MIN_HEADER_SCORE) {
    return {
      ...base,
      fileErrors: [
        fileError(
          'file.header_not_found',
          '未找到表头行：前30行中没有包含“姓名”“公民身份号码”等列名的行',
          'No header row found: none of the first 30 rows names the book columns (姓名, 公民身份号码 …)',
        ),
      ],
    };
  }

  const headers = headerCells(table.rows, best);
  const map = resolveColumns(headers, table.rows.slice(best + 1, best + 1 + CONTENT_SAMPLE_ROWS), options.mapping);
  const unused = map.columns.filter((c) => c.field === null && c.header !== '').map((c) => c.header);
  const fileErrors: BookIssue[] = map.missing.map((field) => {
    const header = bookColumn(field).header;
    const choose = unused.length
      ? {
          zh: `；未使用的列：${unused.map((h) => `“${h}”`).join('、')}，可在预览中指定其中哪一列是“${header}”`,
          en: `; columns not used: ${unused.map((h) => `"${h}"`).join(', ')}; say in the preview which of them is "${header}"`,
        }
      : { zh: '', en: '' };
    return fileError(
      'file.missing_column',
      `缺少必需的列“${header}”${choose.zh}`,
      `The required column "${header}" is missing${choose.en}`,
      { field },
    );
  });
  const warnings: BookIssue[] = map.issues.map((issue) => ({
    severity: 'warning',
    code: issue.code,
    message: issue.message,
    column: issue.header,
    sheetRow: best + 1,
  }));

  let title: string | undefined;
  for (const cells of table.rows.slice(0, best)) {
    const first = cells.map((c) => cleanCell(c)).find((c) => c !== '');
    if (first !== undefined) {
      title = first;
      break;
    }
  }

  let last = table.rows.length - 1;
  while (last > best && (table.rows[last] ?? []).every((c) => cleanCell(c) === '')) last--;
  const count = last - best;
  const maxRows = options.maxRows ?? 50_000;
  if (count > maxRows) {
    fileErrors.push(
      fileError('file.too_many_rows', `文件超过 ${maxRows} 行，请分批导入`, `The file has more than ${maxRows} rows; import it in parts`),
    );
  }

  const rows: RawBookRow[] = [];
  if (fileErrors.length === 0) {
    for (let i = best + 1; i <= last; i++) {
      const cells = table.rows[i] ?? [];
      const values: Partial<Record<BookField, string>> = {};
      let filled = 0;
      for (const [field, column] of Object.entries(map.fields) as [BookField, number][]) {
        const text = cleanCell(cells[column] ?? '');
        if (text !== '') {
          values[field] = text;
          filled++;
        }
      }
      const row = i - best;
      const sheetRow = i + 1;
      if (filled === 0) continue;
      // A footer such as 制表人/审核人/合计 is not a person: note it and move on.
      if (values.name === undefined && values.idNumber === undefined && filled <= 2) {
        warnings.push({
          severity: 'warning',
          code: 'row.not_a_person',
          row,
          sheetRow,
          message: {
            zh: '该行没有姓名和公民身份号码，视为表尾说明，已跳过',
            en: 'The row has neither a name nor an ID number; taken for a footer and skipped',
          },
        });
        continue;
      }
      rows.push({ row, sheetRow, cells: [...cells], values });
    }
  }

  return {
    ...base,
    ...(title === undefined ? {} : { title }),
    headerRow: best + 1,
    headers,
    fields: map.fields,
    columns: map.columns,
    rows,
    fileErrors,
    warnings,
  };
}

/** Reads and locates a book file in one step: `locateBook(readTable(bytes))`. */
export function parseBook(bytes: Uint8Array, options: ParseOptions = {}): ParsedBook {
  return locateBook(readTable(bytes, options), options);
}
