import {
  BOOK_FIELDS,
  entityIdSchema,
  importRecordSchema,
  importSummarySchema,
  inlineFileSchema,
  bookExportSchema,
  pageOf,
  TOWN_ADMIN,
  uploadIdSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { people } from '../book/routes';
import { pageQuery } from '../spec';

const importParams = z.strictObject({ importId: entityIdSchema });
/**
 * What a preview was told on the previous one: the field of any column by its header text (null ignores
 * it), and whether the communities and grids the book names that the town lacks are to be created.
 */
const previewChoices = {
  mapping: z.optional(
    z
      .array(
        z.strictObject({ header: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), field: z.nullable(z.enum(BOOK_FIELDS)) }),
      )
      .check(z.maxLength(64)),
  ),
  createOrg: z.optional(z.boolean()),
};
/** A book file sent inline (base64): up to ~4.4 MB of file within Lambda's 6 MB request payload. */
const inlineBookSchema = z.strictObject({
  fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  contentBase64: z.base64().check(z.maxLength(6_000_000)),
  ...previewChoices,
});
/** A book file posted to storage first (`POST /town/uploads`, purpose `book_import`, completed): up to 50 MB. */
const uploadedBookSchema = z.strictObject({ uploadId: uploadIdSchema, ...previewChoices });
/** A book upload for preview: the file inline or an upload of it, and the choices of the previous preview. */
const importUploadSchema = z.union([inlineBookSchema, uploadedBookSchema]);
const fileQuery = z.strictObject({ format: z._default(z.enum(['csv', 'xlsx']), 'xlsx') });
const exportQuery = z.strictObject({ format: z._default(z.enum(['csv', 'xlsx']), 'xlsx'), gridId: z.optional(entityIdSchema) });

/** Import and export of the population book as a file (town admins only; the import runs as a job). */
export const imports = {
  previewImport: people({
    id: 'book.import.preview',
    success: [201],
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports',
    roles: TOWN_ADMIN,
    body: importUploadSchema,
    maxBody: 6_200_000,
    summary:
      'Upload a population book (GBK/UTF-8 CSV or XLSX; inline, or the id of a completed book_import upload) and see what importing it would do, with the column mapping used',
  }),
  importStatus: people({
    id: 'book.import.get',
    response: importRecordSchema,
    method: 'GET',
    path: '/town/imports/{importId}',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: "An import's preview, status and progress",
  }),
  commitImport: people({
    id: 'book.import.commit',
    success: [202],
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports/{importId}/commit',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: 'Carry out a previewed import in the background',
  }),
  importErrors: people({
    id: 'book.import.errors',
    response: inlineFileSchema,
    method: 'GET',
    path: '/town/imports/{importId}/errors',
    roles: TOWN_ADMIN,
    params: importParams,
    query: fileQuery,
    summary: "The rejected rows with their reasons, as a file in the upload's columns",
  }),
  listImports: people({
    id: 'book.import.list',
    response: pageOf(importSummarySchema),
    method: 'GET',
    path: '/town/imports',
    roles: TOWN_ADMIN,
    query: pageQuery,
    summary: "The town's imports, newest first, with status, who, when and counts",
  }),
  resumeImport: people({
    id: 'book.import.resume',
    success: [202],
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports/{importId}/resume',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: 'Run a failed import again from where it stopped',
  }),
  abandonImport: people({
    id: 'book.import.abandon',
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports/{importId}/abandon',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: 'Give up a failed or stalled import (rows already written stay)',
  }),
  exportBook: people({
    id: 'book.export',
    response: bookExportSchema,
    method: 'GET',
    path: '/town/export',
    roles: TOWN_ADMIN,
    query: exportQuery,
    summary: 'The population book (or one grid) as XLSX or CSV, in the import layout',
  }),
} as const;
