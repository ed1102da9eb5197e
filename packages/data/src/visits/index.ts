import { maskNumbersInText } from '@gridline/book';
import {
  AppError,
  checkVisitChecks,
  checkVisitCommunity,
  checkVisitGrid,
  checkVisitSeen,
  checkVisitedAt,
  countTags,
  dueHousehold,
  newVisitState,
  planVisit,
  restate,
  sameCounts,
  seesKeyGroups,
  shownDrivenBy,
  type TownPrincipal,
  type VisitBody,
  type VisitDuePage,
  type VisitDueQuery,
  type VisitHousehold,
  type VisitPage,
  type VisitState,
  type VisitView,
  visitDay,
} from '@gridline/domain';
import { commitChange, getItem, type Item, publicFields, queryAll, queryPage } from '../ops';
import { visitChanges } from './changes';
import { keyGroupIdsOf, visitCyclesOf } from './cycles';
import { type StoredVisit, storedState, visitView } from './items';

export { type VisitChanges, visitChanges } from './changes';
export { forgetVisitCycles, keyGroupIdsOf, visitCyclesOf } from './cycles';
export { type TagMove, type VisitStateHook, visitStateHook } from './hook';
export { type StoredVisit, storedState, type VisitItems, visitItems, visitView } from './items';

type GridItem = { gridId: string; communityId: string; status?: string };
type HouseholdItem = {
  gridId: string;
  householdId: string;
  communityId: string;
  courtyardId?: string;
  door: string;
  code?: string;
  status: 'active' | 'closed';
  createdAt?: string;
};
type PersonItem = {
  personId: string;
  name: string;
  relation: string;
  phoneMasked?: string;
  tags: string[];
  keyTags?: string[];
  status: string;
};

/** Tries of a visit whose household's state moved between the read and the write (another visit, a book change). */
const RECORD_ATTEMPTS = 3;

/**
 * (Re)builds one household's visit state from the household and its people as they stand: created when
 * missing, recounted and restated when its tags or cycle differ, deleted when the household is closed.
 * For the cycle job's backfill and recompute (and the importer, after its people). Returns the state after.
 */
export async function rebuildVisitState(townId: string, gridId: string, householdId: string, now: string, actor = 'system') {
  const changes = visitChanges(townId, actor);
  const k = changes.items.keys;
  for (let attempt = 0; ; attempt++) {
    const [h, s, people, cycles] = await Promise.all([
      getItem<HouseholdItem>(k.household(gridId, householdId), { consistent: true }),
      getItem<Item>(k.visitState(gridId, householdId), { consistent: true }),
      queryAll<PersonItem>(k.peoplePk(gridId), `${householdId}#`, { consistent: true }),
      visitCyclesOf(townId, true),
    ]);
    const before = s ? storedState(s) : undefined;
    let after: VisitState | undefined;
    if (h && h.status === 'active') {
      const counts = countTags(people);
      if (!before) after = newVisitState(h, visitDay(h.createdAt ?? now), counts, cycles, now);
      else {
        const next = restate(before, counts, cycles, now, { door: h.door, code: h.code, courtyardId: h.courtyardId });
        const same =
          sameCounts(counts, before.tagCounts) &&
          next.cycleDays === before.cycleDays &&
          next.due === before.due &&
          next.door === before.door &&
          next.code === before.code &&
          next.courtyardId === before.courtyardId;
        after = same ? before : next;
        if (same) return before;
      }
    }
    if (!before && !after) return undefined;
    const w = changes.stateWrites(before, after);
    try {
      await commitChange({ writes: w.writes, audit: [], counters: w.counters });
      return after;
    } catch (e) {
      const lost = e instanceof AppError && (e.code === 'conflict.version' || e.code === 'visit.state_exists');
      if (!lost || attempt + 1 >= RECORD_ATTEMPTS) throw e;
    }
  }
}

/**
 * Household visits as one caller uses them (`@gridline/data/visits`): the due lists (one Query on a
 * maintained index each), a household's visit page, recording a visit (one transaction, a replay of the
 * same id answered from the store) and the caller's own visits. Rules come from `@gridline/domain` (visits/).
 */
export function visitsOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const changes = visitChanges(townId, principal.username);
  const k = changes.items.keys;
  const keyGroups = seesKeyGroups(principal);

  /** The grid, within the caller's reach; community staff need it read to know its community. */
  async function gridInReach(gridId: string, read = principal.role === 'community_staff'): Promise<GridItem | undefined> {
    checkVisitGrid(principal, gridId);
    if (!read) return undefined;
    const grid = await getItem<GridItem>(k.grid(gridId));
    if (!grid) throw new AppError('grid.not_found', 404, 'No such grid in this town.');
    return checkVisitGrid(principal, gridId, grid);
  }

  const shown = async (s: VisitState, today: string) =>
    dueHousehold(s, today, shownDrivenBy(principal, s.drivenBy, await keyGroupIdsOf(townId)));

  async function dueList(q: VisitDueQuery, now: string): Promise<VisitDuePage> {
    const today = visitDay(now);
    const through = q.through ?? today;
    const to = `${through}#\uffff`;
    let page: { items: Item[]; nextCursor: string | null };
    if (q.gridId) {
      await gridInReach(q.gridId);
      page = await queryPage<Item>({
        pk: k.visitDueGridPk(q.gridId),
        index: 'gsi2',
        skBetween: ['0', to],
        limit: q.limit,
        cursor: q.cursor,
        listing: `visits-due:g:${q.gridId}:${through}`,
      });
    } else {
      const communityId = q.communityId as string;
      checkVisitCommunity(principal, communityId);
      page = await queryPage<Item>({
        pk: k.visitDueCommunityPk(communityId),
        index: 'gsi1',
        skBetween: ['0', to],
        limit: q.limit,
        cursor: q.cursor,
        listing: `visits-due:c:${communityId}:${through}`,
      });
    }
    const items = await Promise.all(page.items.map((i) => shown(storedState(i), today)));
    return { today, items, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  }

  /** The household's state; one not kept yet (a household entered before visits) is worked out from its members, not stored. */
  async function stateOf(gridId: string, householdId: string, consistent: boolean) {
    const [h, s, people] = await Promise.all([
      getItem<HouseholdItem>(k.household(gridId, householdId), { consistent }),
      getItem<Item>(k.visitState(gridId, householdId), { consistent }),
      queryAll<PersonItem>(k.peoplePk(gridId), `${householdId}#`, { consistent }),
    ]);
    if (!h) throw new AppError('household.not_found', 404, 'No such household in this grid.');
    const members = people.map((p) => publicFields<PersonItem>(p as unknown as Item));
    if (h.status !== 'active') return { h, members, state: undefined, created: false };
    if (s) return { h, members, state: storedState(s), created: false };
    const cycles = await visitCyclesOf(townId);
    return {
      h,
      members,
      state: newVisitState(h, visitDay(h.createdAt ?? new Date().toISOString()), countTags(members), cycles, new Date().toISOString()),
      created: true,
    };
  }

  async function household(gridId: string, householdId: string, now: string): Promise<VisitHousehold> {
    await gridInReach(gridId);
    const today = visitDay(now);
    const [{ members, state }, visits] = await Promise.all([
      stateOf(gridId, householdId, false),
      queryPage<Item>({ pk: k.visitsPk(gridId, householdId), limit: 10, forward: false, listing: `visits:${gridId}:${householdId}` }),
    ]);
    if (!state) throw new AppError('household.closed', 404, 'This household is closed.');
    return {
      today,
      household: await shown(state, today),
      members: members
        .filter((p) => p.status === 'active')
        .map((p) => ({
          personId: p.personId,
          name: p.name,
          relation: p.relation,
          ...(p.phoneMasked ? { phoneMasked: p.phoneMasked } : {}),
          tags: p.tags ?? [],
          ...(keyGroups ? { keyTags: p.keyTags ?? [] } : {}),
        })),
      visits: visits.items.map((v) => visitView(v)),
    };
  }

  /** The stored visit of this id answered again (200, `replayed`), when the caller recorded it. */
  async function replayOf(body: VisitBody): Promise<VisitView | undefined> {
    const stored = await getItem<Item>(k.visit(body.gridId, body.householdId, body.visitId), { consistent: true });
    if (!stored) return undefined;
    if (stored.by !== principal.username)
      throw new AppError('visit.exists', 409, 'A visit with this id was recorded by someone else.', { field: 'body.visitId' });
    return visitView(stored, true);
  }

  async function record(body: VisitBody, now: string): Promise<VisitView> {
    await gridInReach(body.gridId);
    const replay = await replayOf(body);
    if (replay) return replay;
    checkVisitedAt(body.visitedAt, now);
    checkVisitChecks(body.kind, body.checks);
    const today = visitDay(now);
    const on = visitDay(body.visitedAt);
    for (let attempt = 0; ; attempt++) {
      const { h, state, members, created } = await stateOf(body.gridId, body.householdId, true);
      const plan = planVisit(
        state,
        { visitId: body.visitId, on, kind: body.kind, by: principal.username, seenVersion: body.seenVersion },
        today,
        now,
      );
      // People seen must be the household's, unless the device saw an older household (a member moved out
      // since, or it closed): that visit is kept as made, flagged, never refused.
      if (plan.flags.length === 0)
        checkVisitSeen(
          body.seen,
          members.map((m) => m.personId),
        );
      const visit: StoredVisit = {
        visitId: body.visitId,
        gridId: body.gridId,
        householdId: body.householdId,
        communityId: h.communityId,
        visitedAt: new Date(body.visitedAt).toISOString(),
        on,
        kind: body.kind,
        seen: [...body.seen],
        checks: [...body.checks],
        ...(body.note ? { note: maskNumbersInText(body.note) } : {}),
        by: principal.username,
        recordedAt: now,
        flags: plan.flags,
        ...(plan.after ? { due: plan.after.due } : {}),
      };
      try {
        await commitChange(changes.recordChange(visit, state, plan, created));
        return visitView(changes.items.visit(visit));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (e.code === 'visit.exists') {
          const again = await replayOf(body);
          if (again) return again;
        }
        const lost = e.code === 'conflict.version' || e.code === 'visit.state_exists' || e.code === 'conflict.busy';
        if (!lost || attempt + 1 >= RECORD_ATTEMPTS) throw e;
      }
    }
  }

  async function mine(q: { limit: number; cursor?: string | undefined }): Promise<VisitPage> {
    const page = await queryPage<Item>({
      pk: k.visitsByPk(principal.username),
      index: 'gsi2',
      limit: q.limit,
      cursor: q.cursor,
      forward: false,
      listing: 'visits:mine',
    });
    return { items: page.items.map((v) => visitView(v)), ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  }

  return { dueList, household, record, mine };
}
export type Visits = ReturnType<typeof visitsOf>;

/** Records a visit as `principal` (the routes, and the demo seed through the same path). */
export const recordVisit = (principal: TownPrincipal, body: VisitBody, now: string): Promise<VisitView> =>
  visitsOf(principal).record(body, now);
