import { book } from '$lib/book/api';
import type { HouseholdView as Household } from '@gridline/domain';

/**
 * The households of one grid to pick from, loaded a hundred at a time. `current` names the grid the
 * form looks at now: a page that comes back for another grid (picked meanwhile) is dropped.
 */
export class GridHouseholds {
  items: Household[] = $state([]);
  /** The grid `items` belong to; until a first page has come, none. */
  loadedFor = $state('');
  cursor: string | null = $state(null);
  busy = $state(false);
  error: unknown = $state(null);

  readonly #current: () => string;

  constructor(current: () => string) {
    this.#current = current;
  }

  async load(gridId: string, more: boolean) {
    this.busy = true;
    this.error = null;
    try {
      const page = await book.households(gridId, { limit: 100, cursor: more ? this.cursor : null });
      if (gridId !== this.#current()) return;
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.cursor = page.nextCursor ?? null;
      this.loadedFor = gridId;
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = false;
    }
  }
}

/** A household as a choice in a list: courtyard, door and 户编号. */
export const householdLabel = (h: Household, courtyardName: (courtyardId: string | undefined) => string) =>
  [courtyardName(h.courtyardId), h.door, h.code].filter(Boolean).join(' · ');
