import { count, isoTime, version } from '../common/shapes';
import * as z from '../common/zod';
import { inlineFileSchema, labelSchema } from '../common/api';
import { BOOK_FIELDS } from '../rules';

/*
 * Importing and exporting the population book: what a preview was told, the record of an import as it
 * runs, the town's list of imports and an exported file. The file rules themselves are in @gridline/book.
 */

/** A finding about an uploaded book: a rejected row's reason, or (with no row) why the file cannot be used. */
export const importIssueSchema = z.object({
  row: z.optional(z.int()),
  field: z.optional(z.string()),
  code: z.string(),
  message: labelSchema,
});
export type ImportIssue = z.infer<typeof importIssueSchema>;
/** How a column of an uploaded book was read: the field it feeds and how that was decided, or ignored. */
export const columnMappingSchema = z.object({
  column: z.int(),
  header: z.string(),
  field: z.nullable(z.enum(BOOK_FIELDS)),
  how: z.nullable(z.enum(['name', 'alias', 'content', 'user'])),
  /** For a mapping decided by content: what the values showed. */
  evidence: z.optional(labelSchema),
});
export type ColumnMappingView = z.infer<typeof columnMappingSchema>;
/** Communities and grids a book names that the town lacks, and names too close to existing ones to create. */
export const orgPlanSchema = z.object({
  communities: z.array(z.string()),
  grids: z.array(z.object({ community: z.string(), grid: z.string() })),
  nearMisses: z.array(z.object({ kind: z.enum(['community', 'grid']), name: z.string(), existing: z.string() })),
});
export type OrgPlan = z.infer<typeof orgPlanSchema>;
/** What a preview was told: the user's mapping of columns, and whether to create the missing org units. */
export const previewOptionsSchema = z.object({
  mapping: z.optional(z.array(z.object({ header: z.string(), field: z.nullable(z.enum(BOOK_FIELDS)) }))),
  createOrg: z.optional(z.boolean()),
});
export type PreviewOptions = z.infer<typeof previewOptionsSchema>;
export const importStatsSchema = z.object({
  rows: count,
  accepted: count,
  rejected: count,
  households: count,
  create: count,
  update: count,
  unchanged: count,
  newHouseholds: count,
  newCourtyards: count,
});
export type ImportStats = z.infer<typeof importStatsSchema>;
export const importProgressSchema = z.object({
  total: count,
  done: count,
  created: count,
  updated: count,
  unchanged: count,
  failed: count,
});
export type ImportProgress = z.infer<typeof importProgressSchema>;
export const IMPORT_STATUSES = ['previewed', 'queued', 'running', 'done', 'failed', 'abandoned'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const importRecordSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  /** Every column of the header row: the field it feeds and how that was decided, or ignored. */
  columns: z.optional(z.array(columnMappingSchema)),
  /** Header warnings and other findings that refuse nothing (unknown columns, tags read through aliases). */
  warnings: z.optional(z.array(importIssueSchema)),
  org: z.optional(orgPlanSchema),
  options: z.optional(previewOptionsSchema),
  status: z.enum(IMPORT_STATUSES),
  stats: importStatsSchema,
  /** The first 200 row issues, in row order. */
  issues: z.array(importIssueSchema),
  /** Non-empty: the file cannot be imported at all. */
  fileErrors: z.array(importIssueSchema),
  progress: z.optional(importProgressSchema),
  by: z.string(),
  createdAt: isoTime,
  finishedAt: z.optional(isoTime),
  error: z.optional(z.string()),
  /** Why it failed: `import.failed` (an error on every attempt) or `import.attempts_exhausted` (its runner stopped each time). */
  errorCode: z.optional(z.string()),
  /** The error of the last attempt that failed, while attempts remain. */
  lastError: z.optional(z.string()),
  /** When the first attempt began. */
  startedAt: z.optional(isoTime),
  /** Runs started so far; more than one means it was resumed after its runner stopped. */
  attempts: z.optional(count),
  version,
});
export type ImportRecordView = z.infer<typeof importRecordSchema>;
/** One line of the town's list of imports (newest first). */
export const importSummarySchema = z.extend(
  z.pick(importRecordSchema, {
    importId: true,
    fileName: true,
    status: true,
    stats: true,
    progress: true,
    by: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
    error: true,
    errorCode: true,
    attempts: true,
  }),
  { rejected: count },
);
export type ImportSummary = z.infer<typeof importSummarySchema>;
export const bookExportSchema = z.extend(inlineFileSchema, { people: count });
export type BookExport = z.infer<typeof bookExportSchema>;
export type BookFileFormat = 'xlsx' | 'csv';
