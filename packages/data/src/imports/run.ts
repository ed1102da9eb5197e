import { maskIdNumber, maskPhone } from '@gridline/book';
import { AppError, type ImportProgress, leasePolicy, newId } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { StoredHousehold, StoredPerson } from '../book';
import { blobStore } from '../blobs';
import { LeaseLost } from '../job-runs';
import { type Change, commitChange, commitInChunks, publicFields } from '../ops';
import { orgOf } from '../org';
import { townVault } from '../vault';
import { rebuildVisitState, visitStateHook } from '../visits';
import type { ImportContext } from './context';
import { orgKey, type Planned } from './match';
import type { ImportPlanner } from './preview';
import type { ImportRecord, ImportRecords, RunOptions } from './records';

/** How fast one import may write (units per second), so the town's other work keeps its share. */
const importWriteRate = () => Number(process.env.GRIDLINE_IMPORT_WCU_PER_SECOND ?? 1500);

/** Carrying out a queued import as a job run. */
export function importRunner({ townId, k, book }: ImportContext, planner: ImportPlanner, records: ImportRecords) {
  const { org, plan } = planner;
  const { load, view, runs, importRef, giveUp } = records;
  return {
    /**
     * Carries out a queued import as a job run. It takes the run's lease first (when someone else holds
     * it, this call does nothing), then creates missing courtyards and households, then people in
     * batched transactions, at most GRIDLINE_IMPORT_WCU_PER_SECOND write units a second, renewing the
     * lease with its progress. An attempt after a crash plans the file again: what earlier attempts wrote
     * is found in the book (and counted as theirs, since every attempt writes with the first one's
     * time), so it carries on where they stopped and the counts come out exact.
     */
    async run(importId: string, at: string, opts: RunOptions = {}): Promise<ImportRecord> {
      const policy = opts.policy ?? leasePolicy();
      const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
      const ref = importRef(importId);
      const got = await runs.acquire(ref, opts.owner ?? `run-${newId().toLowerCase()}`, Date.now(), policy);
      if (!('lease' in got)) {
        if (got.decision === 'exhausted' && got.record) await giveUp(importId, got.record, at);
        return view(await load(importId));
      }
      const lease = got.lease;
      const r = publicFields<ImportRecord & { blobKey: string }>(got.record);
      // Every attempt writes with the first attempt's time, so a later one recognises what earlier ones wrote.
      const now = r.startedAt ?? at;
      const progress: ImportProgress = { total: 0, done: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
      let lastBeat = Date.now();
      // Renews the lease (with the progress so far) well before it could expire, and on every tenth batch for the page.
      const beat = async (force: boolean) => {
        if (!force && Date.now() - lastBeat < policy.leaseMs / 3) return;
        await runs.heartbeat(lease, Date.now(), policy, { progress });
        lastBeat = Date.now();
      };
      try {
        const bytes = await blobStore().get(r.blobKey);
        let p = await plan(bytes, r.options);
        if (r.options?.createOrg && (p.org.communities.length > 0 || p.org.grids.length > 0)) {
          // The communities and grids the preview listed for creation, made first, each as the org chart
          // makes them (audited, counted); the plan is then made again against the chart as it now is. An
          // attempt after a crash finds those already made and plans against them.
          const chart = orgOf(townId);
          const made = new Map<string, string>();
          for (const name of p.org.communities) {
            const c = await chart.createCommunity({ name, kind: /村$/.test(name) ? 'village' : 'community' }, r.by, now);
            made.set(orgKey(name, 'community'), (c as unknown as { communityId: string }).communityId);
          }
          const chartNow = await org();
          for (const g of p.org.grids) {
            const cKey = orgKey(g.community, 'community');
            const communityId = made.get(cKey) ?? chartNow.communityByKey.get(cKey)?.id;
            if (communityId) await chart.createGrid({ communityId, name: g.grid, code: '' }, r.by, now);
          }
          p = await plan(bytes, r.options);
        }
        progress.total = p.planned.length;
        await runs.heartbeat(lease, Date.now(), policy, { progress, startedAt: now });
        lastBeat = Date.now();
        const started = Date.now();
        let written = 0;
        const pace = async (units: number) => {
          written += units;
          const ahead = (written / importWriteRate()) * 1000 - (Date.now() - started);
          if (ahead > 0) await sleep(ahead);
        };
        const vault = await townVault(townId);
        const o = await org();
        // Courtyards the file names that the grid does not have yet.
        const courtyardIds = new Map(o.courtyards);
        const yardChanges: Change[] = [];
        for (const [key, y] of p.newCourtyards) {
          const courtyardId = `y-${newId(Date.parse(now)).toLowerCase()}`;
          courtyardIds.set(key, courtyardId);
          yardChanges.push({
            writes: [
              { kind: 'check', key: k.grid(y.gridId), code: 'grid.not_found', message: 'The grid is gone.' },
              {
                kind: 'create',
                item: {
                  ...k.courtyard(courtyardId),
                  type: 'Courtyard',
                  courtyardId,
                  gridId: y.gridId,
                  name: y.name,
                  status: 'active',
                  createdAt: now,
                },
              },
            ],
            audit: [auditEntry(k.audit, { actor: r.by, action: 'courtyard.create', target: courtyardId, at: now, details: { importId } })],
            counters: [{ key: k.counters('TOWN'), deltas: { courtyards: 1 } }],
          });
        }
        for (let i = 0; i < yardChanges.length; i += 20) {
          await commitInChunks(yardChanges.slice(i, i + 20));
          await beat(false);
        }
        // Households by their number.
        const households = new Map(p.existingHouseholds);
        const visitHook = visitStateHook(townId, r.by);
        const homeChanges: Change[] = [];
        for (const [code, h] of p.newHouseholds) {
          const householdId = `h-${newId(Date.parse(now)).toLowerCase()}`;
          households.set(code, { gridId: h.gridId, householdId });
          const courtyardId = h.courtyardKey ? courtyardIds.get(h.courtyardKey) : undefined;
          const stored: StoredHousehold = {
            householdId,
            gridId: h.gridId,
            communityId: h.communityId,
            ...(courtyardId ? { courtyardId } : {}),
            code,
            door: h.door,
            members: 0,
            status: 'active',
            version: 1,
            createdAt: now,
          };
          // Each household comes with its visit state, in the same transaction as the routes write it.
          homeChanges.push(await visitHook.withNewHousehold(book.changes.newHouseholdChange(stored), stored, now));
        }
        for (let i = 0; i < homeChanges.length; i += 12) {
          const part = homeChanges.slice(i, i + 12);
          await commitInChunks(part);
          await pace(part.length * 14);
          await beat(false);
        }
        // People, a few per transaction; a batch that fails is retried one by one so one bad row cannot sink the rest.
        const todo = p.planned.filter((x) => x.action !== 'unchanged');
        // Rows an earlier attempt of this import wrote now match the book; they count as that attempt's work.
        const earlier = p.planned.filter((x) => x.action === 'unchanged' && x.existing?.updatedAt === now);
        progress.created = earlier.filter((x) => x.existing?.createdAt === now).length;
        progress.updated = earlier.length - progress.created;
        progress.unchanged = p.planned.length - todo.length - earlier.length;
        progress.done = p.planned.length - todo.length;
        const BATCH = 8;
        for (let i = 0; i < todo.length; i += BATCH) {
          const part = todo.slice(i, i + BATCH);
          const changes = part.map((x) => personChange(x, households, courtyardIds, vault, now, r.by));
          try {
            await commitInChunks(changes);
          } catch {
            for (const [n, c] of changes.entries()) {
              try {
                await commitChange(c);
              } catch {
                progress.failed += 1;
                part[n] = { ...(part[n] as Planned), action: 'unchanged' };
              }
            }
          }
          // People move their households' visit states after their batch (a batch may hold several members
          // of one household, which one transaction could not each write): each household is recounted.
          const homes = new Set<string>();
          for (const x of part) {
            if (x.action === 'unchanged') continue;
            const home = x.existing ?? { gridId: x.gridId, ...(households.get(x.record.householdNo) as { householdId: string }) };
            homes.add(`${home.gridId}|${home.householdId}`);
          }
          for (const home of homes) {
            const [gridId = '', householdId = ''] = home.split('|');
            await rebuildVisitState(townId, gridId, householdId, now, r.by);
          }
          for (const x of part)
            if (x.action === 'create') progress.created += 1;
            else if (x.action === 'update') progress.updated += 1;
          progress.done += part.length;
          await pace(changes.reduce((n, c) => n + 2 * (c.writes.length + c.audit.length + (c.counters?.length ?? 0)), 0));
          await beat((i / BATCH) % 10 === 9);
        }
        const finishedAt = new Date().toISOString();
        await runs.finish(lease, 'done', { progress, finishedAt }, [
          auditEntry(k.audit, {
            actor: r.by,
            action: 'import.done',
            target: importId,
            at: finishedAt,
            details: { progress, attempts: lease.attempts },
          }),
        ]);
      } catch (e) {
        // Another runner took over (this one was too slow to renew) or a person abandoned it: it carries on, not us.
        if (e instanceof LeaseLost) return view(await load(importId));
        // The reason is kept for the import page; AppError messages are safe to show, others are summarised.
        const reason = e instanceof AppError ? e.message : 'The import stopped unexpectedly.';
        try {
          if (lease.attempts >= policy.maxAttempts)
            await runs.finish(
              lease,
              'failed',
              { progress, error: reason, errorCode: 'import.failed', finishedAt: new Date().toISOString() },
              [
                auditEntry(k.audit, {
                  actor: r.by,
                  action: 'import.fail',
                  target: importId,
                  at: new Date().toISOString(),
                  details: { progress, reason },
                }),
              ],
            );
          else await runs.release(lease, Date.now(), { progress, lastError: reason });
        } catch (inner) {
          if (!(inner instanceof LeaseLost)) throw inner;
        }
        throw e;
      }
      return view(await load(importId));
    },
  };

  function personChange(
    x: Planned,
    households: Map<string, { gridId: string; householdId: string }>,
    courtyardIds: Map<string, string>,
    vault: Awaited<ReturnType<typeof townVault>>,
    now: string,
    actor: string,
  ): Change {
    const r = x.record;
    const home = households.get(r.householdNo) as { householdId: string };
    const courtyardId = x.courtyardKey ? courtyardIds.get(x.courtyardKey) : undefined;
    const fields = {
      name: r.name,
      gender: r.gender,
      ...(r.ethnicity ? { ethnicity: r.ethnicity } : {}),
      birthDate: r.birthDate,
      ...(r.phone ? { phoneMasked: maskPhone(r.phone), phoneEnc: vault.encrypt('phone', r.phone) } : {}),
      relation: r.relation ?? '—',
      residenceType: r.residenceType,
      tags: r.tags,
      keyTags: r.keyTags,
      ...(r.arrivalDate ? { floating: { ...(x.existing?.floating ?? {}), arrivalDate: r.arrivalDate } } : {}),
      ...(r.note ? { note: r.note } : {}),
    };
    if (x.action === 'update' && x.existing) {
      const before = x.existing;
      const after: StoredPerson = { ...before, ...fields, version: before.version + 1, updatedAt: now };
      if (!r.phone) {
        delete after.phoneEnc;
        delete after.phoneMasked;
      }
      const c = book.changes.replaceChange(before, after, now, { importedBy: actor });
      return c;
    }
    const p: StoredPerson = {
      personId: `p-${newId(Date.parse(now)).toLowerCase()}`,
      householdId: home.householdId,
      gridId: x.gridId,
      communityId: x.communityId,
      ...(courtyardId ? { courtyardId } : {}),
      ...fields,
      idMasked: maskIdNumber(r.idNumber),
      idEnc: vault.encrypt('idNumber', r.idNumber),
      idHash: x.idHash,
      status: 'active',
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return book.changes.newPersonChange(p, now);
  }
}
