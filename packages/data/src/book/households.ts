import {
  AppError,
  checkAtVersion,
  type HouseholdChange,
  type HouseholdClose,
  type HouseholdView,
  type NewHousehold,
  newId,
  planHouseholdChange,
  planHouseholdClose,
} from '@gridline/domain';
import { getItem, type Item, type Page, queryAll, queryPage } from '../ops';
import type { StoredHousehold } from './items';
import type { BookReads } from './reads';

/** The households of one caller's book: created, listed, read, corrected and closed (never deleted). */
export function householdsOf(r: BookReads) {
  const { k } = r;
  return {
    async createHousehold(gridId: string, input: NewHousehold, now: string): Promise<HouseholdView> {
      const grid = await r.gridInScope(gridId);
      if (grid.status === 'retired') throw new AppError('grid.retired', 409, 'This grid is retired.');
      const householdId = `h-${newId(Date.parse(now)).toLowerCase()}`;
      const item: StoredHousehold = {
        householdId,
        gridId,
        communityId: grid.communityId,
        ...(input.courtyardId ? { courtyardId: input.courtyardId } : {}),
        ...(input.code ? { code: input.code } : {}),
        door: input.door,
        members: 0,
        status: 'active',
        version: 1,
        createdAt: now,
      };
      await r.commitWithVisits(r.changes.newHouseholdChange(item), (c) => r.visits.withNewHousehold(c, item, now));
      const { createdAt: _c, ...out } = item;
      return out;
    },

    async listHouseholds(gridId: string, limit: number, cursor: string | undefined, courtyardId?: string): Promise<Page<HouseholdView>> {
      await r.gridInScope(gridId);
      const page = courtyardId
        ? await queryPage<Item>({
            pk: k.courtyardIndexPk(courtyardId),
            index: 'gsi1',
            limit,
            cursor,
            listing: `households:yard:${courtyardId}`,
          })
        : await queryPage<Item>({ pk: k.householdsPk(gridId), skPrefix: 'H#', limit, cursor, listing: `households:${gridId}` });
      return { items: page.items.filter((i) => i.gridId === gridId).map(r.householdView), nextCursor: page.nextCursor };
    },

    async getHousehold(gridId: string, householdId: string) {
      await r.gridInScope(gridId);
      const h = await getItem<Item>(k.household(gridId, householdId));
      if (!h) throw new AppError('household.not_found', 404, 'No such household in this grid.');
      const members = await queryAll<Item>(k.peoplePk(gridId), `${householdId}#`);
      return { household: r.householdView(h), members: members.map(r.view) };
    },

    /**
     * Corrects a household's address (courtyard, 户编号, door) at the version read. A new courtyard
     * takes the household's active members with it, in the same transaction (decision 23).
     */
    async changeHousehold(gridId: string, householdId: string, input: HouseholdChange, now: string): Promise<HouseholdView> {
      await r.gridInScope(gridId);
      const before = await r.household(gridId, householdId);
      checkAtVersion(before, input.version, 'household.closed', 'This household is closed.');
      const yardMoves = input.courtyardId !== undefined && (input.courtyardId ?? undefined) !== before.courtyardId;
      const yard =
        yardMoves && input.courtyardId
          ? await getItem<{ gridId: string; status?: string }>(k.courtyard(input.courtyardId), { consistent: true })
          : undefined;
      const members = yardMoves ? await r.membersOf(gridId, householdId) : [];
      const plan = planHouseholdChange(before, input, members, yard);
      // Nothing to correct: no write, no audit entry.
      if (!plan) return r.householdView(before);
      try {
        await r.commitWithVisits(r.changes.householdChange(before, plan, now), (c) => r.visits.withAddress(c, plan.after, now));
      } catch (e) {
        if (e instanceof AppError && e.code === 'household.code_taken')
          throw new AppError('household.code_taken', 409, 'Another household of this town has that number.', { field: 'body.code' });
        throw e;
      }
      return r.householdView({ ...plan.after, updatedAt: now });
    },

    /** Closes a household nobody lives in any more; it stays listed and readable, marked closed. */
    async closeHousehold(gridId: string, householdId: string, input: HouseholdClose, now: string): Promise<HouseholdView> {
      await r.gridInScope(gridId);
      const before = await r.household(gridId, householdId);
      checkAtVersion(before, input.version, 'household.closed', 'This household is already closed.');
      const open = (await r.membersOf(gridId, householdId)).filter((p) => p.status === 'active').length;
      const plan = planHouseholdClose(before, open, input);
      await r.commitWithVisits(r.changes.householdClose(before, plan, now), (c) => r.visits.withHouseholdClosed(c, gridId, householdId));
      return r.householdView({ ...plan.after, updatedAt: now });
    },
  };
}
