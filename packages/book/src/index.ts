import { AppError } from '@gridline/domain';
import { type ParseOptions, type ParsedBook, parseBook } from './parse';
import { type BookValidation, type ValidateOptions, validateBook } from './rows';

export {
  BOOK_COLUMNS,
  BOOK_FIELDS,
  type BookColumn,
  type BookField,
  bookColumn,
  type ColumnMapping,
  fieldByContent,
  fieldForHeader,
  type HeaderMap,
  headerScore,
  type MappingSource,
  mapHeaders,
  normaliseHeader,
  resolveColumns,
  type UserMapping,
} from './columns';
export { type CsvEncoding, type CsvLimits, decodeCsv, readCsv, splitCsv } from './csv';
export {
  bookHeader,
  type ErrorFileSource,
  errorRows,
  type ExportOptions,
  personCells,
  writeBookCsv,
  writeBookXlsx,
  errorFileTitle,
  writeErrorFile,
} from './export';
export {
  checkIdNumber,
  type Gender,
  ID_PROVINCE_CODES,
  type IdNumberCheck,
  type IdNumberReason,
  idCheckCharacter,
  isValidIdNumber,
  normaliseIdNumber,
} from './id-number';
export type { BookIssue } from './issues';
export { maskIdNumber, maskNumbersInText, maskPhone } from './mask';
export {
  type BookFormat,
  type BookTable,
  locateBook,
  type ParsedBook,
  type ParseOptions,
  parseBook,
  type RawBookRow,
  readTable,
  sniffFormat,
  UNREADABLE_FILE_CODES,
} from './parse';
export { checkPhone, normalisePhone, type PhoneCheck, type PhoneReason } from './phone';
export {
  type BookHousehold,
  type BookPerson,
  type BookValidation,
  GENDER_LABELS,
  HEAD_RELATIONS,
  type PersonRecord,
  parseBookDate,
  personRecordSchema,
  RESIDENCE_TYPE_LABELS,
  RESIDENCE_TYPES,
  type RejectedRow,
  type ResidenceType,
  type ValidateOptions,
  validateBook,
} from './rows';
export { type AliasedTag, DEFAULT_TAG_ALIASES, defaultTagLists, indexTags, parseTags, type TagDefinition, type TagLists } from './tags';
export type { Message } from './text';
export { readXlsx, writeXlsx, type XlsxLimits, type XlsxSheet, type XlsxTable } from './xlsx';

/** Everything an import preview needs: the file as read, its findings and the people and households in it. */
export type BookImport = Omit<ParsedBook, 'rows' | 'warnings'> & BookValidation;

/**
 * Reads a book file (XLSX, or CSV in UTF-8 or GBK) and validates every row: `fileErrors` non-empty
 * means nothing in the file can be used; otherwise `people` are the rows to import and `rejected`
 * the rows to fix, each with its reasons.
 */
export function importBook(bytes: Uint8Array, options: ParseOptions & ValidateOptions = {}): BookImport {
  const parsed = parseBook(bytes, options);
  const { rows: _rows, warnings: _warnings, ...file } = parsed;
  return { ...file, ...validateBook(parsed, options) };
}

/**
 * Throws a 422 AppError (`book.file_invalid`) carrying the first file-level error, for routes that
 * cannot go on with an unusable file; returns the import unchanged otherwise.
 */
export function assertBookUsable<T extends { fileErrors: ParsedBook['fileErrors'] }>(result: T, lang: 'zh' | 'en' = 'zh'): T {
  const first = result.fileErrors[0];
  if (first) throw new AppError('book.file_invalid', 422, first.message[lang], first.field === undefined ? {} : { field: first.field });
  return result;
}
