import { BOOK_FIELDS, UNREADABLE_FILE_CODES } from '@gridline/book';
import { AppError, newId, type PreviewOptions, type TownPrincipal } from '@gridline/domain';
import { auditEntry } from '../audit';
import { townBlobKey, blobStore } from '../blobs';
import { commitChange } from '../ops';
import { importContext } from './context';
import { importFiles } from './files';
import { issueOf } from './match';
import { importPlanner } from './preview';
import { type ImportRecord, importRecords } from './records';
import { importRunner } from './run';
import { uploadsOf } from '../uploads';

// A town's imports, in parts: preview.ts plans a file against the town (match.ts holds the pure
// matching), records.ts keeps the import records and their lifecycle, run.ts carries a queued import
// out as a job run, files.ts gives back the error rows and the book export. `importsOf` joins them.

export type { ImportRecord, RunOptions } from './records';
export { orgKey } from './match';
export type { ImportIssue, ImportProgress, ImportStats, ImportSummary, OrgPlan, PreviewOptions } from '@gridline/domain';
/** The fields a column can be mapped to, for the route schemas. */
export const IMPORT_FIELDS = BOOK_FIELDS;
const MAX_WARNINGS_KEPT = 100;

/**
 * Population-book imports for one town: a dry run that says what would change (and why rows are
 * refused), then a commit that runs in the background, rate-limited, reporting progress. A re-run of
 * the same file changes nothing: people are matched by ID number, households by their 户编号.
 */
export function importsOf(principal: TownPrincipal) {
  const ctx = importContext(principal);
  const { townId, k, keyGroups } = ctx;
  const planner = importPlanner(ctx);
  const records = importRecords(ctx);
  const { plan, statsOf, issuesOf } = planner;
  const { view } = records;
  const self = {
    /** Stores the file and answers what importing it would do, row by row. Nothing else is written. */
    async preview(
      fileName: string,
      bytes: Uint8Array,
      now: string,
      options: PreviewOptions = {},
      /** Where the file already is (an upload's checked copy); otherwise it is stored under the import. */
      storedAt?: string,
    ): Promise<ImportRecord> {
      const importId = `i-${newId(Date.parse(now)).toLowerCase()}`;
      const blobKey = storedAt ?? townBlobKey(townId, 'imports', importId, fileName);
      const p = await plan(bytes, options);
      // Bytes that are not a table at all (damaged, hostile or over a limit) are refused outright and
      // not kept; a table that is not a usable book still gets a preview that says why.
      const unreadable = p.book.fileErrors.find((e) => UNREADABLE_FILE_CODES.includes(e.code));
      if (unreadable) throw new AppError('book.file_unreadable', 422, unreadable.message.en);
      if (!storedAt) await blobStore().put(blobKey, bytes);
      const record: ImportRecord & { blobKey: string; headersKey: string } = {
        importId,
        fileName,
        status: 'previewed',
        stats: statsOf(p),
        issues: issuesOf(p),
        fileErrors: p.book.fileErrors.map(issueOf),
        columns: p.book.columns,
        warnings: p.book.warnings.map(issueOf).slice(0, MAX_WARNINGS_KEPT),
        org: p.org,
        // What the run must plan with: the mapping in force (given or remembered) and the org choice.
        options: {
          mapping: Object.entries(p.mapping).map(([header, field]) => ({ header, field })),
          ...(options.createOrg ? { createOrg: true } : {}),
        },
        headersKey: p.headersKey,
        by: principal.username,
        keyGroups,
        createdAt: now,
        version: 1,
        blobKey,
      };
      await commitChange({
        writes: [{ kind: 'create', item: { ...k.importRecord(importId), type: 'Import', ...record } }],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'import.preview',
            target: importId,
            at: now,
            details: { fileName, stats: record.stats },
          }),
        ],
      });
      return view(record);
    },

    /** The same preview of a completed book upload (up to 50 MB): the run reads the upload's file. */
    async previewUpload(uploadId: string, now: string, options: PreviewOptions = {}): Promise<ImportRecord> {
      const file = await uploadsOf(principal).readyFile(uploadId, 'book_import');
      return self.preview(file.fileName, file.bytes, now, options, file.key);
    },

    status: records.status,
    queue: records.queue,
    list: records.list,
    resume: records.resume,
    abandon: records.abandon,
    ...importFiles(ctx, planner, records),
    ...importRunner(ctx, planner, records),
  };
  return self;
}
