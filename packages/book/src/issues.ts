import type { BookField } from './columns';
import type { Message } from './text';

/**
 * One finding about a book file. Errors reject a row (or, with no row, the whole file); warnings are
 * shown in the preview and change nothing. Messages never quote an ID number, a phone or a name, so
 * issues may be logged.
 */
export type BookIssue = {
  severity: 'error' | 'warning';
  /** Stable, dotted code such as `id.check_digit`; UI text comes from `message`. */
  code: string;
  message: Message;
  /** Data row, counted from 1 below the header row (title and header excluded). */
  row?: number;
  /** The row of the sheet (XLSX) or record of the file (CSV), counted from 1, title and header included. */
  sheetRow?: number;
  field?: BookField;
  /** For a duplicate or a conflict: the data row it collides with. */
  relatedRow?: number;
  /** For header findings: the header text as written. */
  column?: string;
};
