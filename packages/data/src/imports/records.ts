import { AppError, canAbandon, canResume, type ImportRecordView, type ImportSummary, type LeasePolicy } from '@gridline/domain';
import { auditEntry } from '../audit';
import { jobRunsOf, type RunRecord, type RunRef } from '../job-runs';
import { commitChange, getItem, type Item, type Page, publicFields, queryPage, type Write } from '../ops';
import type { ImportContext } from './context';

/** An import as stored: what the API answers with, plus the uploader's key-group right and the run's lease. */
export type ImportRecord = ImportRecordView & {
  keyGroups: boolean;
  leaseOwner?: string;
  leaseUntil?: string;
  heartbeatAt?: string;
};
/** How a run is carried out: who it runs as (the lease owner), its lease policy, and how it waits (tests pass a fake). */
export type RunOptions = { owner?: string; policy?: LeasePolicy; sleep?: (ms: number) => Promise<void> };

export const summaryOf = (r: ImportRecord): ImportSummary => ({
  importId: r.importId,
  fileName: r.fileName,
  status: r.status,
  stats: r.stats,
  ...(r.progress ? { progress: r.progress } : {}),
  by: r.by,
  createdAt: r.createdAt,
  ...(r.startedAt ? { startedAt: r.startedAt } : {}),
  ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
  ...(r.error ? { error: r.error } : {}),
  ...(r.errorCode ? { errorCode: r.errorCode } : {}),
  ...(r.attempts !== undefined ? { attempts: r.attempts } : {}),
  rejected: r.stats.rejected,
});

/** One town's import records: reading them, and moving them through queue, resume and abandon. */
export function importRecords({ principal, townId, k }: ImportContext) {
  const mappingKey = (headersKey: string) => k.importMapping(headersKey);
  async function load(importId: string): Promise<ImportRecord & { blobKey: string; headersKey?: string }> {
    const item = await getItem<Item>(k.importRecord(importId), { consistent: true });
    if (!item) throw new AppError('import.not_found', 404, 'No such import in this town.');
    return publicFields<ImportRecord & { blobKey: string; headersKey?: string }>(item);
  }
  const view = ({ blobKey: _b, headersKey: _h, ...r }: ImportRecord & { blobKey: string; headersKey?: string }): ImportRecord => r;
  const runs = jobRunsOf(townId);
  const importRef = (importId: string): RunRef => ({ kind: 'import', runId: importId, key: k.importRecord(importId) });

  /** Marks an import that stopped on every attempt as failed, keeping what it did (its progress). */
  async function giveUp(importId: string, record: RunRecord, now: string): Promise<void> {
    const attempts = record.attempts ?? 0;
    const last = typeof record.lastError === 'string' ? ` The last error: ${record.lastError}` : '';
    await runs.giveUp(
      importRef(importId),
      record,
      {
        error: `The import stopped ${attempts} times before it finished.${last}`,
        errorCode: 'import.attempts_exhausted',
        finishedAt: now,
        leaseUntil: new Date(0).toISOString(),
      },
      [
        auditEntry(k.audit, {
          actor: 'job',
          action: 'import.fail',
          target: importId,
          at: now,
          details: { attempts, progress: record.progress ?? null },
        }),
      ],
    );
  }

  return {
    load,
    view,
    runs,
    importRef,
    giveUp,
    async status(importId: string): Promise<ImportRecord> {
      return view(await load(importId));
    },

    /** Queues the import (once), listing it for the sweeper; the caller starts the background run. */
    async queue(importId: string, now: string): Promise<ImportRecord> {
      const r = await load(importId);
      if (r.status !== 'previewed') throw new AppError('import.not_previewed', 409, 'This import has already been committed.');
      if (r.fileErrors.length) throw new AppError('import.file_invalid', 409, 'This file cannot be imported; see its errors.');
      const chosen = r.options?.mapping ?? [];
      // Committing is the user's word that the mapping was right: remember it for files with these headers.
      const remember: Write[] =
        chosen.length > 0 && r.headersKey
          ? [
              {
                kind: 'put',
                item: {
                  ...mappingKey(r.headersKey),
                  type: 'ImportMapping',
                  mapping: Object.fromEntries(chosen.map((m) => [m.header, m.field])),
                  savedAt: now,
                  importId,
                },
              },
            ]
          : [];
      await commitChange({
        writes: [
          { kind: 'update', key: k.importRecord(importId), set: { status: 'queued', attempts: 0 }, version: r.version },
          runs.activeWrite(importRef(importId), now),
          ...remember,
        ],
        audit: [auditEntry(k.audit, { actor: principal.username, action: 'import.commit', target: importId, at: now })],
      });
      return view({ ...r, status: 'queued', attempts: 0, version: r.version + 1 });
    },

    /** The town's imports, newest first (import ids sort by time), without their row issues. */
    async list(limit: number, cursor: string | undefined): Promise<Page<ImportSummary>> {
      const page = await queryPage<Item>({ pk: k.importsPk, limit, cursor, listing: 'imports', forward: false });
      return { items: page.items.map((i) => summaryOf(publicFields<ImportRecord & { blobKey: string }>(i))), nextCursor: page.nextCursor };
    },

    /** Puts a failed import back in the queue with a fresh set of attempts; the caller starts the run. */
    async resume(importId: string, now: string): Promise<ImportRecord> {
      const r = await load(importId);
      if (!canResume(r)) throw new AppError('import.not_failed', 409, 'Only a failed import can be resumed.');
      await commitChange({
        writes: [
          {
            kind: 'update',
            key: k.importRecord(importId),
            set: { status: 'queued', attempts: 0 },
            unset: ['error', 'errorCode', 'lastError', 'finishedAt'],
            version: r.version,
          },
          runs.activeWrite(importRef(importId), now),
        ],
        audit: [auditEntry(k.audit, { actor: principal.username, action: 'import.resume', target: importId, at: now })],
      });
      const { error: _e, errorCode: _c, lastError: _l, finishedAt: _f, ...rest } = r;
      return view({ ...rest, status: 'queued', attempts: 0, version: r.version + 1 });
    },

    /**
     * Gives up a failed or stalled import. Rows already written stay in the book (and in its progress);
     * a run that is making progress cannot be abandoned under its feet.
     */
    async abandon(importId: string, now: string): Promise<ImportRecord> {
      const r = await load(importId);
      if (!canAbandon(r, Date.parse(now)))
        throw new AppError(
          r.status === 'queued' || r.status === 'running' ? 'import.running' : 'import.not_abandonable',
          409,
          r.status === 'queued' || r.status === 'running'
            ? 'This import is running; it can be abandoned only if it stops.'
            : 'This import cannot be abandoned.',
        );
      const set = { status: 'abandoned' as const, finishedAt: now, leaseUntil: new Date(0).toISOString() };
      await commitChange({
        writes: [{ kind: 'update', key: k.importRecord(importId), set, version: r.version }, runs.inactiveWrite(importRef(importId))],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'import.abandon',
            target: importId,
            at: now,
            details: { progress: r.progress ?? null },
          }),
        ],
      });
      return view({ ...r, ...set, version: r.version + 1 });
    },
  };
}
export type ImportRecords = ReturnType<typeof importRecords>;
