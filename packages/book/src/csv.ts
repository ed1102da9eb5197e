/** The text encodings a CSV file may arrive in; GBK files are decoded as GB 18030, its superset. */
export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type CsvTable = {
  encoding: CsvEncoding;
  delimiter: ',' | '\t';
  rows: string[][];
  /** The 1-based record at which a quoted field was opened and never closed, if any. */
  unterminatedQuoteAt?: number;
  /** Reading stopped at this 1-based record because it broke a limit of `CsvLimits`. */
  overLimit?: { at: number; limit: 'records' | 'fields' | 'chars' };
};

/** Bounds on what a split may hold; splitting stops at the first one broken, so its cost stays bounded too. */
export type CsvLimits = { maxRecords?: number; maxFields?: number; maxFieldChars?: number };

/**
 * Decodes CSV bytes: a byte-order mark decides when present; otherwise strict UTF-8 is tried first
 * and GB 18030 (a superset of GBK, what Chinese Excel writes) is the fallback.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** Comma unless tabs clearly dominate the first lines (Excel's "Unicode text" export is tab-separated). */
function sniffDelimiter(text: string): ',' | '\t' {
  const head = text.slice(0, 8192).replace(/"[^"]*"/g, '');
  const commas = head.split(',').length - 1;
  const tabs = head.split('\t').length - 1;
  return tabs > commas ? '\t' : ',';
}

/**
 * Splits CSV text into records: quoted fields may hold delimiters, line breaks and doubled quotes;
 * CRLF, LF and lone CR all end a record; a quote inside an unquoted field is kept as it is.
 */
export function splitCsv(
  text: string,
  delimiter: ',' | '\t' = ',',
  limits: CsvLimits = {},
): { rows: string[][]; unterminatedQuoteAt?: number; overLimit?: CsvTable['overLimit'] } {
  const maxRecords = limits.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxFields = limits.maxFields ?? Number.POSITIVE_INFINITY;
  const maxFieldChars = limits.maxFieldChars ?? Number.POSITIVE_INFINITY;
  const plain = delimiter === ',' ? /[^,\r\n]+/y : /[^\t\r\n]+/y;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  let quoteOpenedAt = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // Copy a run of ordinary characters at once.
      const next = text.indexOf('"', i);
      const end = next === -1 ? n : next;
      field += text.slice(i, end);
      i = end;
      if (field.length > maxFieldChars) return { rows, overLimit: { at: rows.length + 1, limit: 'chars' } };
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      quoteOpenedAt = rows.length + 1;
      i++;
      continue;
    }
    if (c === delimiter) {
      if (row.length + 1 >= maxFields) return { rows, overLimit: { at: rows.length + 1, limit: 'fields' } };
      if (field.length > maxFieldChars) return { rows, overLimit: { at: rows.length + 1, limit: 'chars' } };
      row.push(field);
      field = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (field.length > maxFieldChars) return { rows, overLimit: { at: rows.length + 1, limit: 'chars' } };
      row.push(field);
      rows.push(row);
      if (rows.length >= maxRecords && i + 1 < n) return { rows, overLimit: { at: rows.length + 1, limit: 'records' } };
      row = [];
      field = '';
      atFieldStart = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    // An unquoted run up to the next delimiter or line end is copied at once.
    plain.lastIndex = i;
    plain.test(text);
    field += text.slice(i, plain.lastIndex);
    atFieldStart = false;
    i = plain.lastIndex;
  }
  if (field.length > maxFieldChars) return { rows, overLimit: { at: rows.length + 1, limit: 'chars' } };
  if (row.length > 0 || field !== '' || !atFieldStart) {
    row.push(field);
    rows.push(row);
  }
  return quoted ? { rows, unterminatedQuoteAt: quoteOpenedAt } : { rows };
}

/** Reads CSV bytes into a table of strings (encoding and delimiter detected). */
export function readCsv(bytes: Uint8Array, limits: CsvLimits = {}): CsvTable {
  const { text, encoding } = decodeCsv(bytes);
  const delimiter = sniffDelimiter(text);
  return { encoding, delimiter, ...splitCsv(text, delimiter, limits) };
}

/** Quotes a CSV field when it holds a delimiter, a quote, a line break or edge whitespace. */
export function csvField(value: string): string {
  return /[",\r\n\t]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes records as CSV text with CRLF line ends (no byte-order mark; see `utf8WithBom`). */
export function joinCsv(rows: readonly (readonly string[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** UTF-8 bytes with a byte-order mark, so Excel opens the file in the right encoding. */
export function utf8WithBom(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf], 0);
  out.set(body, 3);
  return out;
}
