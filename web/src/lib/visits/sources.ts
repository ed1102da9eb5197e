import { ApiError } from '../api';
import { townContext } from '../book/context';
import type { Role } from '@gridline/domain/rules';
import { visits } from './api';
import type { OfflineStore } from './offline';
import { cacheName, householdsToCache, mayCacheGrid } from './offline-rules';
import { placesOf, type VisitPlaces } from './places';
import { offlineStore } from './sync';
import type { DueList, DueQuery, VisitHousehold } from './types';

/*
 * Where the visit pages get what they show: the server when the network is there (and, for a
 * coordinator's own grids, a fresh encrypted copy on the device), else that copy. `from` tells the page
 * which, so it can say the list is the one saved at a given time.
 */

export type Sourced<T> = { value: T; from: 'server' } | { value: T; from: 'device'; savedAt: number };

/** What the caller is, for deciding what the device may keep: a coordinator's own grids only. */
export type Keeper = { role: Role; ownGrids: readonly string[] };

const offlineNow = () => typeof navigator !== 'undefined' && navigator.onLine === false;
const noNetwork = (e: unknown) => e instanceof ApiError && e.status === 0 && e.code === 'network';

async function fromDevice<T>(name: string): Promise<Sourced<T> | null> {
  const store = await offlineStore();
  if (!store) return null;
  const [value, savedAt] = await Promise.all([store.get<T>(name), store.savedAt(name)]);
  return value !== null && savedAt !== null ? { value, from: 'device', savedAt } : null;
}

/** The server's answer, else (no network) the device's copy; null when there is neither. Other errors throw. */
async function sourced<T>(
  ask: () => Promise<T>,
  name: string,
  keep: (store: OfflineStore, value: T) => Promise<void>,
): Promise<Sourced<T> | null> {
  if (offlineNow()) return fromDevice<T>(name);
  let value: T;
  try {
    value = await ask();
  } catch (e) {
    if (noNetwork(e)) return fromDevice<T>(name);
    throw e;
  }
  const store = await offlineStore();
  if (store) await keep(store, value).catch(() => undefined);
  return { value, from: 'server' };
}

/** The places the pickers show, and who the caller is for keeping (a coordinator's device keeps its own grids' names). */
export async function placesFor(role: Role): Promise<Sourced<{ places: VisitPlaces; keeper: Keeper }> | null> {
  return sourced(
    async () => {
      const ctx = await townContext();
      return { places: placesOf(ctx), keeper: { role, ownGrids: ctx.me.user.scope.grids } };
    },
    cacheName.grids,
    async (store, v) => {
      if (v.keeper.role !== 'grid_coordinator') return;
      const own = v.places.grids.filter((g) => mayCacheGrid(role, v.keeper.ownGrids, g.gridId));
      const communities = v.places.communities.filter((c) => own.some((g) => g.communityId === c.communityId));
      await store.put(cacheName.grids, { places: { ...v.places, grids: own, communities }, keeper: v.keeper });
    },
  );
}

/** A due list's first page (or the page at `cursor`); only a coordinator's own grid's first page is kept on the device. */
export function dueListFor(keeper: Keeper, q: DueQuery): Promise<Sourced<DueList> | null> {
  const gridId = 'gridId' in q ? q.gridId : '';
  const name = gridId ? cacheName.due(gridId) : `due:community:${'communityId' in q ? q.communityId : ''}`;
  return sourced(
    () => visits.due(q),
    name,
    async (store, list) => {
      if (!gridId || q.cursor || !mayCacheGrid(keeper.role, keeper.ownGrids, gridId)) return;
      await store.put(name, list);
      void keepHouseholds(store, keeper, list);
    },
  );
}

/** How recently a household's copy must have been saved for the due list not to fetch it again. */
const REFRESH_MS = 10 * 60 * 1000;

/** Saves the households of a due list for offline use, a few at a time; a failure leaves that one out. */
async function keepHouseholds(store: OfflineStore, keeper: Keeper, list: DueList) {
  const todo = householdsToCache(keeper.role, keeper.ownGrids, list.items);
  const now = Date.now();
  const worker = async () => {
    for (let h = todo.shift(); h; h = todo.shift()) {
      const name = cacheName.household(h.gridId, h.householdId);
      const at = await store.savedAt(name);
      if (at !== null && now - at < REFRESH_MS) continue;
      if (offlineNow()) return;
      try {
        await store.put(name, await visits.household(h.gridId, h.householdId));
      } catch {
        // Not kept: the page asks again next time.
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

/** A household's page: the server's, else the device's copy. */
export function householdFor(keeper: Keeper | null, gridId: string, householdId: string): Promise<Sourced<VisitHousehold> | null> {
  const name = cacheName.household(gridId, householdId);
  return sourced(
    () => visits.household(gridId, householdId),
    name,
    async (store, v) => {
      if (keeper && mayCacheGrid(keeper.role, keeper.ownGrids, gridId)) await store.put(name, v);
    },
  );
}
