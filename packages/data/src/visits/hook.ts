import { moveTagCounts, restate, sameCounts, type VisitState, visitDay, newVisitState } from '@gridline/domain';
import { getItem, type Change, type Item } from '../ops';
import { visitChanges } from './changes';
import { visitCyclesOf } from './cycles';
import { storedState } from './items';

/** Members' tags leaving (−1) or joining (+1) one household. */
export type TagMove = { gridId: string; householdId: string; tags: readonly string[]; delta: 1 | -1 };
type Home = {
  gridId: string;
  householdId: string;
  communityId: string;
  courtyardId?: string | undefined;
  door: string;
  code?: string | undefined;
  createdAt?: string;
};

/**
 * How the population book keeps households' visit states current: each book change that moves members'
 * tags (a new person, a tag change, a move, a close), creates or closes a household, or changes its
 * address reads the states concerned and adds their writes to ITS OWN transaction, at the versions
 * read (a visit meanwhile makes the change fail with 409 like any lost race). A household without a
 * state yet (entered before visits existed) is left to the cycle job's backfill.
 */
export function visitStateHook(townId: string, actor: string) {
  const changes = visitChanges(townId, actor);
  const k = changes.items.keys;
  const read = async (gridId: string, householdId: string): Promise<VisitState | undefined> => {
    const item = await getItem<Item>(k.visitState(gridId, householdId), { consistent: true });
    return item ? storedState(item) : undefined;
  };
  const add = (change: Change, part: { writes: Change['writes']; counters: NonNullable<Change['counters']> }): Change => ({
    ...change,
    writes: [...change.writes, ...part.writes],
    counters: [...(change.counters ?? []), ...part.counters],
  });

  return {
    /** A change with its people's tags (and comings and goings) applied to their households' states. */
    async withTagMoves(change: Change, moves: TagMove[], now: string): Promise<Change> {
      const byHome = new Map<string, { gridId: string; householdId: string; moves: TagMove[] }>();
      for (const m of moves) {
        const id = `${m.gridId}|${m.householdId}`;
        const cur = byHome.get(id) ?? { gridId: m.gridId, householdId: m.householdId, moves: [] };
        cur.moves.push(m);
        byHome.set(id, cur);
      }
      let out = change;
      let cycles: Awaited<ReturnType<typeof visitCyclesOf>> | undefined;
      for (const h of byHome.values()) {
        let counts: Record<string, number> | undefined;
        const before = await read(h.gridId, h.householdId);
        if (!before) continue;
        counts = before.tagCounts;
        for (const m of h.moves) counts = moveTagCounts(counts, m.tags, m.delta);
        // A member joining or leaving changes the household even without tags (a visit seen before is
        // flagged); a member's own correction changes it only when their tags move.
        const joinsOrLeaves = h.moves.reduce((n, m) => n + m.delta, 0) !== 0;
        if (!joinsOrLeaves && sameCounts(counts, before.tagCounts)) continue;
        cycles ??= await visitCyclesOf(townId);
        out = add(out, changes.stateWrites(before, restate(before, counts, cycles, now)));
      }
      return out;
    },

    /** A new household's change with its state (nobody in it yet: the household cycle from the day it is entered). */
    async withNewHousehold(change: Change, h: Home, now: string): Promise<Change> {
      const cycles = await visitCyclesOf(townId);
      return add(change, changes.stateWrites(undefined, newVisitState(h, visitDay(now), {}, cycles, now)));
    },

    /** A closing household's change with its state deleted (and the counts it held). */
    async withHouseholdClosed(change: Change, gridId: string, householdId: string): Promise<Change> {
      const before = await read(gridId, householdId);
      return before ? add(change, changes.stateWrites(before, undefined)) : change;
    },

    /** A household's address change carried to its state (door, number, courtyard), counts unchanged. */
    async withAddress(change: Change, h: Home, now: string): Promise<Change> {
      const before = await read(h.gridId, h.householdId);
      if (!before) return change;
      const after: VisitState = { ...before, door: h.door, version: before.version + 1, bookVersion: before.version + 1, updatedAt: now };
      if (h.code) after.code = h.code;
      else delete after.code;
      if (h.courtyardId) after.courtyardId = h.courtyardId;
      else delete after.courtyardId;
      return add(change, changes.stateWrites(before, after));
    },
  };
}
export type VisitStateHook = ReturnType<typeof visitStateHook>;
