import { api, type UploadProgress } from './api';
import { isMessageKey, type Locale, type MessageKey, type Translate } from './i18n';
import type {
  BookExport,
  ColumnMappingView,
  BookFileFormat,
  ImportIssue,
  ImportRecordView as ImportRecord,
  ImportSummary,
  InlineFile,
  Page,
  PreviewOptions,
} from '@gridline/domain';

/**
 * Importing a population book and exporting it (see functions/src/routes.ts). Files travel inline as
 * base64 and live only in memory: an upload is read, sent and dropped; a download is turned into a
 * Blob, handed to the browser once and its object URL revoked. Nothing goes into browser storage.
 */

/** The API takes up to 6,000,000 base64 characters, about 4.5 MB of file; keep a margin under it. */
export const MAX_IMPORT_BYTES = 4_400_000;
/** The API keeps file names up to 120 characters. */
const MAX_NAME = 120;
const BOOK_EXTENSIONS = ['xlsx', 'csv', 'txt', 'xls'];

export type FileProblem = { key: MessageKey; params?: Record<string, string | number> };

/** Why a chosen file cannot be sent at all (the server judges everything else), or undefined. */
export function fileProblem(file: Pick<File, 'name' | 'size'>): FileProblem | undefined {
  const ext = extensionOf(file.name);
  if (!BOOK_EXTENSIONS.includes(ext)) return { key: 'imp.wrongType' };
  if (file.size === 0) return { key: 'imp.emptyFile' };
  if (file.size > MAX_IMPORT_BYTES) return { key: 'imp.tooBig', params: { size: sizeText(file.size) } };
  return undefined;
}

const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** A file name the API accepts: trimmed, and shortened in the middle so the extension survives. */
export function uploadName(name: string): string {
  const clean = name.trim() || 'book';
  if (clean.length <= MAX_NAME) return clean;
  const ext = extensionOf(clean);
  const keep = MAX_NAME - ext.length - 2;
  return `${clean.slice(0, keep)}…${ext ? `.${ext}` : ''}`;
}

/** A byte count for people: 812 KB, 3.4 MB. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A file's bytes as base64, with the share read so far reported (0 to 1). */
export function readAsBase64(file: Blob, onProgress?: (share: number) => void, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => reader.abort(), { once: true });
    reader.readAsDataURL(file);
  });
}

const MIME: Partial<Record<string, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

/**
 * Hands a file the API sent to the browser's download, from memory: the bytes become a Blob, an
 * object URL is clicked once and revoked straight after, and nothing is stored.
 */
export function saveInlineFile(file: InlineFile): void {
  const binary = atob(file.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: MIME[extensionOf(file.fileName)] ?? 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  try {
    a.click();
  } finally {
    a.remove();
    // The click has handed the URL to the download; a moment later the Blob can go.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

const imp = (importId: string) => `/town/imports/${encodeURIComponent(importId)}`;

export const transfer = {
  /**
   * Uploads a book for a dry run: what importing it would do, row by row. Nothing is written. The
   * choices of an earlier preview of the same file (a column mapping, creating the missing org units)
   * travel with it.
   */
  preview: (
    fileName: string,
    contentBase64: string,
    opts: { onUploadProgress?: (p: UploadProgress) => void; signal?: AbortSignal; choices?: PreviewOptions },
  ) =>
    api.upload<ImportRecord>(
      '/town/imports',
      {
        fileName: uploadName(fileName),
        contentBase64,
        ...(opts.choices?.mapping?.length ? { mapping: opts.choices.mapping } : {}),
        ...(opts.choices?.createOrg ? { createOrg: true } : {}),
      },
      opts,
    ),
  status: (importId: string) => api.get<ImportRecord>(imp(importId)),
  commit: (importId: string) => api.post<ImportRecord>(`${imp(importId)}/commit`),
  /** The town's imports, newest first, a page at a time. */
  list: (cursor?: string) => api.get<Page<ImportSummary>>('/town/imports', { limit: 10, cursor }),
  /** Puts a failed import back in the queue; it carries on from where it stopped. */
  resume: (importId: string) => api.post<ImportRecord>(`${imp(importId)}/resume`),
  /** Gives up a failed or stalled import; what it wrote stays in the book. */
  abandon: (importId: string) => api.post<ImportRecord>(`${imp(importId)}/abandon`),
  errorFile: (importId: string, format: BookFileFormat) => api.get<InlineFile>(`${imp(importId)}/errors`, { format }),
  exportBook: (format: BookFileFormat, gridId?: string) => api.get<BookExport>('/town/export', { format, gridId }),
};

/** Whether an import has stopped moving (a failed one moves again only when a person resumes it). */
export const finished = (r: Pick<ImportRecord, 'status'>) => r.status === 'done' || r.status === 'failed' || r.status === 'abandoned';

/** Whether committing the preview would change anything at all. */
export const hasWork = (r: ImportRecord) => r.fileErrors.length === 0 && r.stats.create + r.stats.update > 0;

/**
 * The text of an import finding in the UI language: the server's own message (it names the row,
 * column or tag concerned), else the catalog's text for the code, else the code itself.
 */
export function issueText(issue: ImportIssue, locale: Locale, t: Translate): string {
  const own = locale === 'en' ? issue.message?.en : issue.message?.zh;
  if (own) return own;
  const key = `err.${issue.code}`;
  return isMessageKey(key) ? t(key) : issue.code;
}

/** A book column's name in the UI language (the field names of packages/book/src/columns.ts). */
export function fieldLabel(field: string | undefined, t: Translate): string {
  if (!field) return '';
  const key = `bookField.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** A book field, or null for a column the import ignores. */
export type FieldChoice = NonNullable<PreviewOptions['mapping']>[number]['field'];

/**
 * The mapping to send with the next preview: the columns whose field the user changed here, and those
 * a user placed before (given earlier, or remembered for the town). Columns decided by name, alias or
 * content are left to the server to decide again, so the preview keeps saying how it read them. A
 * header-less column cannot be named in a mapping; a repeated header carries one choice (the first).
 */
export function mappingFor(columns: readonly ColumnMappingView[], chosen: ReadonlyMap<number, FieldChoice>) {
  const seen = new Set<string>();
  const mapping: Array<{ header: string; field: FieldChoice }> = [];
  for (const c of columns) {
    const header = c.header.trim();
    if (!header || seen.has(header)) continue;
    seen.add(header);
    const mine = chosen.has(c.column) && chosen.get(c.column) !== c.field;
    if (mine) mapping.push({ header, field: chosen.get(c.column) ?? null });
    else if (c.how === 'user') mapping.push({ header, field: c.field });
  }
  return mapping;
}

/** Whether a preview names communities or grids the import would have to create. */
export const plansOrg = (r: Pick<ImportRecord, 'org'>) => !!r.org && r.org.communities.length + r.org.grids.length > 0;

/** A label (`{ zh, en }`) in the UI language. */
export const labelText = (l: { zh: string; en: string }, locale: Locale) => (locale === 'en' ? l.en : l.zh);
