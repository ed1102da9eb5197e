import type { MessageKey } from '../i18n';

/**
 * A book file chosen for import, before it is sent: whether it can be sent at all, its name as the
 * API takes it, the content type it is uploaded as, and (for the inline path) its bytes as base64. It
 * lives only in memory: sent and dropped; nothing goes into browser storage.
 */

/** Books go to storage (a `book_import` upload): the domain allows 50 MiB (UPLOAD_LIMITS); 50 MB keeps under it and reads round. */
export const MAX_IMPORT_BYTES = 50_000_000;
/** Inline, the API takes up to 6,000,000 base64 characters, about 4.5 MB of file; kept under it. */
export const MAX_INLINE_BYTES = 4_400_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The API keeps file names up to 120 characters. */
const MAX_NAME = 120;
const BOOK_EXTENSIONS = ['xlsx', 'csv', 'txt', 'xls'];

export type FileProblem = { key: MessageKey; params?: Record<string, string | number> };

/** Why a chosen file cannot be sent at all (the server judges everything else), or undefined. */
export function fileProblem(file: Pick<File, 'name' | 'size'>): FileProblem | undefined {
  const ext = extensionOf(file.name);
  if (!BOOK_EXTENSIONS.includes(ext)) return { key: 'imp.wrongType' };
  if (file.size === 0) return { key: 'imp.emptyFile' };
  const max = uploadTypeOf(file.name) ? MAX_IMPORT_BYTES : MAX_INLINE_BYTES;
  if (file.size > max) return { key: 'imp.tooBig', params: { size: sizeText(file.size), limit: sizeText(max) } };
  return undefined;
}

/**
 * The content type a book is uploaded to storage as (by its extension: browsers disagree on a CSV's
 * own type), or undefined for a file that still goes inline (an old .xls, which the preview explains).
 */
export function uploadTypeOf(name: string): string | undefined {
  const ext = extensionOf(name);
  if (ext === 'xlsx') return XLSX_TYPE;
  if (ext === 'csv' || ext === 'txt') return 'text/csv';
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
