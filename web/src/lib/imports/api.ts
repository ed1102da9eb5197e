import { api, type SendOptions, sendToStorage, type UploadProgress } from '../api';
import type {
  BookExport,
  BookFileFormat,
  ImportRecordView as ImportRecord,
  ImportSummary,
  InlineFile,
  Page,
  PreviewOptions,
  UploadSlot,
  UploadView,
} from '@gridline/domain';
import { uploadName } from './files';

/**
 * Importing a population book and exporting it (see functions/src/routes.ts, `imports.*` and
 * `book.export`). A book goes to storage first (a `book_import` upload: slot, signed form, complete)
 * and the preview names the upload; a file of another kind (an old .xls, for its explanation) still
 * travels inline as base64. The reading and naming of a file is in files.ts, the wording of a preview
 * in records.ts.
 */

const choicesOf = (choices?: PreviewOptions) => ({
  ...(choices?.mapping?.length ? { mapping: choices.mapping } : {}),
  ...(choices?.createOrg ? { createOrg: true } : {}),
});

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
        ...choicesOf(opts.choices),
      },
      opts,
    ),
  /**
   * Sends a book to storage with progress (slot, then the signed form, then the server's check of what
   * arrived) and answers the upload id the previews name.
   */
  uploadBook: async (file: File, contentType: string, send: SendOptions): Promise<string> => {
    const slot = await api.post<UploadSlot>('/town/uploads', {
      purpose: 'book_import',
      fileName: uploadName(file.name),
      contentType,
      size: file.size,
    });
    await sendToStorage(slot.form, file, send);
    await api.post<UploadView>(`/town/uploads/${encodeURIComponent(slot.uploadId)}/complete`);
    return slot.uploadId;
  },
  /** A dry run of a book already uploaded: the same preview, as often as the choices change, without sending it again. */
  previewUpload: (uploadId: string, choices?: PreviewOptions) =>
    api.post<ImportRecord>('/town/imports', { uploadId, ...choicesOf(choices) }),
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
