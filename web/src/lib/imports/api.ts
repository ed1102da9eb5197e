import { api, type UploadProgress } from '../api';
import type {
  BookExport,
  BookFileFormat,
  ImportRecordView as ImportRecord,
  ImportSummary,
  InlineFile,
  Page,
  PreviewOptions,
} from '@gridline/domain';
import { uploadName } from './files';

/**
 * Importing a population book and exporting it (see functions/src/routes.ts, `imports.*` and
 * `book.export`). Files travel inline as base64; the reading and naming of a file is in files.ts,
 * the wording of a preview in records.ts.
 */

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
