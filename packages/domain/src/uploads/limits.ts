/*
 * The limits of uploads, with no zod: the browser checks a chosen file against them before asking for a
 * slot (web/src/lib/matters/attachments.ts), through the `@gridline/domain/uploads/limits` subpath.
 */

export const UPLOAD_PURPOSES = ['attachment', 'book_import'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

export const MB = 1024 * 1024;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The content types each purpose accepts, with the largest file of each type. */
export const UPLOAD_LIMITS: Record<UploadPurpose, Readonly<Record<string, number>>> = {
  attachment: { 'image/jpeg': 10 * MB, 'image/png': 10 * MB, 'image/webp': 10 * MB, 'application/pdf': 20 * MB },
  book_import: { [XLSX_TYPE]: 50 * MB, 'text/csv': 50 * MB },
};

/** The largest file a purpose accepts for a declared type, or undefined when the type is not accepted. */
export const uploadLimit = (purpose: UploadPurpose, contentType: string): number | undefined => UPLOAD_LIMITS[purpose][contentType];
