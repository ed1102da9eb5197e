import {
  AppError,
  householdCycle,
  type LeasePolicy,
  leasePolicy,
  markAfterRecompute,
  moveTagCounts,
  newId,
  nextDue,
  overdueMarkCounters,
  type TagCounts,
  type VisitCycles,
  visitDay,
  visitHouseholdCounters,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { jobRunsOf, LeaseLost } from '../job-runs';
import { type Key, townKeys } from '../keys';
import { type Change, commitChange, getItem, type Item, publicFields, queryAll, type Write } from '../ops';
import { cyclesRunRef, visitCyclesOf } from './cycles';

/** How fast the cycles job may write (units per second), so a town's requests keep their share. */
const cyclesWriteRate = () => Number(process.env.GRIDLINE_VISIT_CYCLES_WCU_PER_SECOND ?? 200);

export type CyclesRunOptions = { owner?: string; policy?: LeasePolicy; sleep?: (ms: number) => Promise<void> };
export type CyclesProgress = {
  total: number;
  done: number;
  moved: number;
  created: number;
  cleared: number;
  skipped: number;
  gridsDone: number;
};
export type CyclesRunView = { runId: string; status: string; attempts: number; leaseOwner?: string; progress: CyclesProgress };

type Household = {
  householdId: string;
  gridId: string;
  communityId: string;
  courtyardId?: string;
  door: string;
  code?: string;
  status: string;
};
type State = Item & {
  gridId: string;
  householdId: string;
  communityId: string;
  tagCounts: TagCounts;
  cycleDays: number;
  drivenBy: string[];
  since: string;
  lastVisitOn?: string;
  due: string;
  overdue?: boolean;
  version: number;
};

/** The tag counts of a household's active members: special and key group tags alike (both can shorten the cycle). */
export function tagCountsOf(members: ReadonlyArray<{ status?: unknown; tags?: unknown; keyTags?: unknown }>): TagCounts {
  let counts: TagCounts = {};
  for (const m of members) {
    if (m.status !== 'active') continue;
    counts = moveTagCounts(counts, [...((m.tags as string[]) ?? []), ...((m.keyTags as string[]) ?? [])], 1);
  }
  return counts;
}

/** The due-list index keys of a state: its grid's list (gsi2) and its community's (gsi1), both ordered by due. */
export function dueIndexOf(townId: string, s: { gridId: string; communityId: string; householdId: string; due: string }): Item {
  const k = townKeys(townId);
  return {
    gsi2pk: k.visitDueGridPk(s.gridId),
    gsi2sk: `${s.due}#${s.householdId}`,
    gsi1pk: k.visitDueCommunityPk(s.communityId),
    gsi1sk: `${s.due}#${s.gridId}#${s.householdId}`,
  };
}

/**
 * The visit state of a household that has none (it predates visits): its members' tags counted, its
 * cycle from the town's cycles, and its clock started on `today`, the day the town began to count
 * visits — a household nobody was asked to visit before is owed a full cycle, not years of arrears.
 */
export function missingState(
  townId: string,
  h: Household,
  members: readonly Item[],
  cycles: VisitCycles,
  today: string,
  now: string,
): Item & Key {
  const tagCounts = tagCountsOf(members);
  const cycle = householdCycle(tagCounts, cycles);
  const due = nextDue({ since: today }, cycle.days);
  return {
    ...townKeys(townId).visitState(h.gridId, h.householdId),
    type: 'VisitState',
    gridId: h.gridId,
    householdId: h.householdId,
    communityId: h.communityId,
    ...(h.courtyardId ? { courtyardId: h.courtyardId } : {}),
    door: h.door,
    ...(h.code ? { code: h.code } : {}),
    since: today,
    tagCounts,
    cycleDays: cycle.days,
    drivenBy: cycle.drivenBy,
    due,
    overdue: false,
    version: 1,
    updatedAt: now,
    ...dueIndexOf(townId, { gridId: h.gridId, communityId: h.communityId, householdId: h.householdId, due }),
  };
}

/**
 * The changes one grid needs under `cycles` on `today`: a state for each active household without one
 * (counted in `visit_households`), and every state whose cycle or due the cycles move, set without
 * moving its version (a job's mark, like the supervision's, must not turn a coordinator's next visit
 * into a conflict) but conditional on it, so a visit or a book change meanwhile wins and is counted
 * again by the next run. A due that leaves the past clears the state's overdue mark and its counters.
 */
export async function gridCycleChanges(
  townId: string,
  gridId: string,
  cycles: VisitCycles,
  today: string,
  now: string,
): Promise<{ changes: Change[]; households: number; created: number; moved: number; cleared: number }> {
  const k = townKeys(townId);
  const [partition, people] = await Promise.all([queryAll<Item>(k.householdsPk(gridId)), queryAll<Item>(k.peoplePk(gridId))]);
  const households = partition.filter((i) => String(i.sk).startsWith('H#') && i.status === 'active').map((i) => publicFields<Household>(i));
  const states = new Map(partition.filter((i) => String(i.sk).startsWith('V#')).map((i) => [String(i.householdId), i as State]));
  const membersOf = new Map<string, Item[]>();
  for (const p of people) membersOf.set(String(p.householdId), [...(membersOf.get(String(p.householdId)) ?? []), p]);
  const out = { changes: [] as Change[], households: households.length, created: 0, moved: 0, cleared: 0 };
  for (const h of households) {
    const s = states.get(h.householdId);
    if (!s) {
      const item = missingState(townId, h, membersOf.get(h.householdId) ?? [], cycles, today, now);
      out.changes.push({
        writes: [{ kind: 'create', item, conflictCode: 'visit.state_exists' }],
        audit: [],
        counters: visitHouseholdCounters(gridId, 1).map((c) => ({ key: k.counters(c.scope), deltas: c.deltas })),
      });
      out.created++;
      continue;
    }
    const cycle = householdCycle(s.tagCounts ?? {}, cycles);
    const due = nextDue(s, cycle.days);
    if (cycle.days === s.cycleDays && due === s.due && cycle.drivenBy.join() === (s.drivenBy ?? []).join()) continue;
    const clear = markAfterRecompute({ overdue: s.overdue === true }, due, today) === 'clear';
    const set: Item = {
      cycleDays: cycle.days,
      drivenBy: cycle.drivenBy,
      due,
      ...dueIndexOf(townId, { gridId, communityId: s.communityId, householdId: s.householdId, due }),
      ...(clear ? { overdue: false } : {}),
    };
    const writes: Write[] = [{ kind: 'annotate', key: { pk: String(s.pk), sk: String(s.sk) }, set, expect: { version: s.version } }];
    out.changes.push({
      writes,
      audit: [],
      counters: clear ? overdueMarkCounters(gridId, -1).map((c) => ({ key: k.counters(c.scope), deltas: c.deltas })) : [],
    });
    out.moved++;
    if (clear) out.cleared++;
  }
  return out;
}

/** The grids of a town in a stable order (the cycles job's checkpoint counts them). */
async function gridsOf(townId: string): Promise<string[]> {
  const org = await queryAll<Item>(townKeys(townId).orgPk, 'GRID#');
  return org
    .filter((g) => g.type === 'Grid' && g.status !== 'retired')
    .map((g) => String(g.gridId))
    .sort();
}

const view = (item: Item | undefined, runId: string): CyclesRunView => ({
  runId,
  status: String(item?.status ?? 'closed'),
  attempts: Number(item?.attempts ?? 0),
  ...(item?.leaseOwner ? { leaseOwner: String(item.leaseOwner) } : {}),
  progress: {
    total: 0,
    done: 0,
    moved: 0,
    created: 0,
    cleared: 0,
    skipped: 0,
    gridsDone: 0,
    ...((item?.progress as Partial<CyclesProgress> | undefined) ?? {}),
  },
});

/** A run of the cycles job as it stands. */
export async function cyclesRunOf(townId: string, runId: string): Promise<CyclesRunView> {
  return view(await getItem<Item>(cyclesRunRef(townId, runId).key, { consistent: true }), runId);
}

/**
 * The `visit-cycles` job: recomputes every household's cycle and due under the town's cycles as they
 * now stand, and creates the states missing (households that predate visits), grid by grid, paced at
 * GRIDLINE_VISIT_CYCLES_WCU_PER_SECOND write units a second. It holds the run's lease (job-runs.ts)
 * and checkpoints after every grid; an attempt after a crash starts at the first grid not done, and
 * since every change is conditional on what it read, a grid done twice changes nothing the second time.
 */
export async function runVisitCycles(townId: string, runId: string, at: string, opts: CyclesRunOptions = {}): Promise<CyclesRunView> {
  const policy = opts.policy ?? leasePolicy();
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const runs = jobRunsOf(townId);
  const ref = cyclesRunRef(townId, runId);
  const k = townKeys(townId);
  const got = await runs.acquire(ref, opts.owner ?? `run-${newId().toLowerCase()}`, Date.now(), policy);
  if (!('lease' in got)) {
    if (got.decision === 'exhausted' && got.record)
      await runs.giveUp(ref, got.record, { error: 'The recompute stopped on every attempt.', finishedAt: at }, [
        auditEntry(k.audit, { actor: 'job:visit-cycles', action: 'visit.cycles.fail', target: runId, at }),
      ]);
    return cyclesRunOf(townId, runId);
  }
  const lease = got.lease;
  const progress = view(got.record, runId).progress;
  try {
    const [cycles, grids, town] = await Promise.all([visitCyclesOf(townId, true), gridsOf(townId), getItem<Item>(k.counters('TOWN'))]);
    // The town's household stock is what the run will walk; the walk itself corrects it if it drifted.
    if (progress.total === 0) progress.total = Math.max(0, Number(town?.households ?? 0));
    const today = visitDay(at);
    const started = Date.now();
    let written = 0;
    for (let i = progress.gridsDone; i < grids.length; i++) {
      const gridId = grids[i] as string;
      const plan = await gridCycleChanges(townId, gridId, cycles, today, at);
      for (const c of plan.changes) {
        try {
          await commitChange(c);
        } catch (e) {
          // A visit or a book change moved this state meanwhile: it computed the due itself.
          if (!(e instanceof AppError && e.status === 409)) throw e;
          progress.skipped++;
        }
        written += 2 * (c.writes.length + (c.counters?.length ?? 0));
      }
      progress.created += plan.created;
      progress.moved += plan.moved;
      progress.cleared += plan.cleared;
      progress.done += plan.households;
      progress.gridsDone = i + 1;
      progress.total = Math.max(progress.total, progress.done);
      await runs.heartbeat(lease, Date.now(), policy, { progress });
      const ahead = (written / cyclesWriteRate()) * 1000 - (Date.now() - started);
      await sleep(Math.max(0, ahead));
    }
    const finishedAt = new Date().toISOString();
    await runs.finish(lease, 'done', { progress, finishedAt }, [
      auditEntry(k.audit, {
        actor: 'job:visit-cycles',
        action: 'visit.cycles.recompute',
        target: runId,
        at: finishedAt,
        details: { ...progress },
      }),
    ]);
  } catch (e) {
    if (e instanceof LeaseLost) return cyclesRunOf(townId, runId);
    const reason = e instanceof AppError ? e.message : 'The recompute stopped unexpectedly.';
    try {
      if (lease.attempts >= policy.maxAttempts)
        await runs.finish(lease, 'failed', { progress, error: reason, finishedAt: new Date().toISOString() });
      else await runs.release(lease, Date.now(), { progress, lastError: reason });
    } catch (inner) {
      if (!(inner instanceof LeaseLost)) throw inner;
    }
    throw e;
  }
  return cyclesRunOf(townId, runId);
}
