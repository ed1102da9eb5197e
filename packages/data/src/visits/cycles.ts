import {
  AppError,
  DEFAULT_VISIT_CYCLES,
  type Label,
  newId,
  planCyclesSave,
  seesKeyGroups,
  type TownPrincipal,
  type VisitCycles,
  type VisitCyclesBody,
  type VisitCyclesHistory,
  type VisitCyclesView,
  visibleCycles,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { jobRunsOf } from '../job-runs';
import { type Key, townKeys } from '../keys';
import { commitChange, getItem, type Item, queryAll, queryPage, type Write } from '../ops';

/** The cycles as stored: absent until an admin saves them (the town's configuration's defaults apply). */
export type StoredVisitCycles = VisitCycles & { version: number; updatedAt?: string; updatedBy?: string; runId?: string };

/** The kind of job run the cycles job is, for the job-run machinery and the sweeper. */
export const VISIT_CYCLES_RUN = 'visit-cycles';

type ConfigPart<T> = { part: string; value: T };

/**
 * The town's visit cycles as they apply now: the saved item, else the defaults the town was provisioned
 * with (its `visitCycles` configuration), else the product's defaults.
 */
export async function visitCyclesOf(townId: string, consistent = false): Promise<StoredVisitCycles> {
  const k = townKeys(townId);
  const saved = await getItem<Item & StoredVisitCycles>(k.visitCycles(), { consistent });
  if (saved)
    return {
      householdDays: saved.householdDays,
      byTag: saved.byTag,
      version: saved.version,
      ...(saved.updatedAt ? { updatedAt: saved.updatedAt } : {}),
      ...(saved.updatedBy ? { updatedBy: saved.updatedBy } : {}),
      ...(saved.runId ? { runId: saved.runId } : {}),
    };
  const config = await getItem<ConfigPart<VisitCycles>>(k.config('visitCycles'), { consistent });
  const base = config?.value ?? DEFAULT_VISIT_CYCLES;
  return { householdDays: base.householdDays, byTag: { ...base.byTag }, version: 0 };
}

/** The town's special and key group tags with their labels (its configuration). */
export async function visitTagsOf(
  townId: string,
): Promise<{ special: Array<{ id: string; label: Label }>; key: Array<{ id: string; label: Label }> }> {
  const k = townKeys(townId);
  const parts = await queryAll<ConfigPart<Array<{ id: string; label: Label }>> & { type?: string }>(k.configPk);
  const part = (name: string) => parts.find((p) => p.type === 'Config' && p.part === name)?.value ?? [];
  return { special: part('specialGroups'), key: part('keyGroups') };
}

/** The record of one run of the cycles job. */
export const cyclesRunRef = (townId: string, runId: string): { kind: string; runId: string; key: Key } => ({
  kind: VISIT_CYCLES_RUN,
  runId,
  key: townKeys(townId).visitCyclesRun(runId),
});

/**
 * A town's visit cycles as one caller uses them (`@gridline/data/visits/cycles`): read with the tags the
 * editor offers and the latest recompute's progress, saved at the version read (the history entry, the
 * audit entry and the queued recompute run in the same transaction), and their history.
 */
export function visitCyclesAdminOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const k = townKeys(townId);
  const keyGroups = seesKeyGroups(principal);

  async function view(stored: StoredVisitCycles): Promise<VisitCyclesView> {
    const [tags, run] = await Promise.all([
      visitTagsOf(townId),
      stored.runId ? getItem<Item>(k.visitCyclesRun(stored.runId)) : Promise.resolve(undefined),
    ]);
    const shown = visibleCycles(
      stored,
      tags.key.map((t) => t.id),
      keyGroups,
    );
    const progress = (run?.progress ?? {}) as { done?: number; total?: number };
    return {
      householdDays: shown.householdDays,
      byTag: shown.byTag,
      version: stored.version,
      ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
      ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
      tags: [
        ...tags.special.map((t) => ({ ...t, kind: 'special' as const })),
        ...(keyGroups ? tags.key.map((t) => ({ ...t, kind: 'key' as const })) : []),
      ],
      ...(run
        ? {
            recompute: {
              runId: String(run.runId),
              status: run.status as 'queued',
              done: Number(progress.done ?? 0),
              total: Number(progress.total ?? 0),
            },
          }
        : {}),
    };
  }

  return {
    get: async (): Promise<VisitCyclesView> => view(await visitCyclesOf(townId)),

    /**
     * Saves the cycles at the version read and queues the recompute: returns the new view and the run
     * the caller starts (`runId`). A lost race answers 409 like a stale version.
     */
    async save(body: VisitCyclesBody, now: string): Promise<{ view: VisitCyclesView; runId: string }> {
      const [current, tags] = await Promise.all([visitCyclesOf(townId, true), visitTagsOf(townId)]);
      const plan = planCyclesSave(
        body,
        { version: current.version, cycles: current },
        {
          specialGroups: tags.special.map((t) => t.id),
          keyGroups: tags.key.map((t) => t.id),
        },
        keyGroups,
      );
      const changed = () =>
        new AppError('visit.cycles_changed', 409, 'Someone changed the visit cycles meanwhile; reload them and try again.', {
          field: 'body.version',
        });
      if (!plan.ok) {
        const r = plan.refusal;
        if (r.status === 409) throw changed();
        throw new AppError(r.code, r.status, r.message, { field: r.field });
      }
      const runId = newId(Date.parse(now)).toLowerCase();
      const version = current.version + 1;
      const stored: StoredVisitCycles = { ...plan.after, version, updatedAt: now, updatedBy: principal.username, runId };
      const item = { ...k.visitCycles(), type: 'VisitCycles', ...stored };
      const ref = cyclesRunRef(townId, runId);
      const writes: Write[] = [
        current.version === 0
          ? { kind: 'create', item, conflictCode: 'visit.cycles_changed' }
          : { kind: 'replace', item, version: current.version },
        {
          kind: 'put',
          item: {
            ...k.visitCyclesLog(now, version),
            type: 'VisitCyclesChange',
            version,
            householdDays: plan.after.householdDays,
            byTag: plan.after.byTag,
            at: now,
            by: principal.username,
          },
        },
        {
          kind: 'create',
          item: {
            ...ref.key,
            type: 'VisitCyclesRun',
            runId,
            status: 'queued',
            attempts: 0,
            by: principal.username,
            queuedAt: now,
            cyclesVersion: version,
            progress: { done: 0, total: 0 },
            version: 1,
          },
        },
        jobRunsOf(townId).activeWrite(ref, now),
      ];
      try {
        await commitChange({
          writes,
          audit: [
            auditEntry(k.audit, {
              actor: principal.username,
              action: 'visit.cycles.change',
              target: 'VISIT_CYCLES',
              at: now,
              details: { version, householdDays: plan.after.householdDays, byTag: plan.after.byTag, runId },
            }),
          ],
        });
      } catch (e) {
        if (e instanceof AppError && e.status === 409) throw changed();
        throw e;
      }
      return { view: await view(stored), runId };
    },

    /** Every save, newest first (key-group cycles only with the permission). */
    async history(): Promise<VisitCyclesHistory> {
      const [page, tags] = await Promise.all([
        queryPage<Item>({ pk: k.visitCyclesLogPk, limit: 100, listing: 'visit-cycles-history', forward: false }),
        visitTagsOf(townId),
      ]);
      const keyIds = tags.key.map((t) => t.id);
      return {
        items: page.items.map((i) => {
          const shown = visibleCycles(
            { householdDays: Number(i.householdDays), byTag: i.byTag as Record<string, number> },
            keyIds,
            keyGroups,
          );
          return { version: Number(i.version), householdDays: shown.householdDays, byTag: shown.byTag, at: String(i.at), by: String(i.by) };
        }),
      };
    },
  };
}
