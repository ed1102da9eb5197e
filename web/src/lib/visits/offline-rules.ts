import { maskNumbersInText } from '@gridline/book/mask';
import type { Role } from '@gridline/domain/rules';
import type { DueHousehold } from './types';

/*
 * What the device may keep for offline use, and for how long (architecture, "Personal data": the one
 * exception to nothing personal in browser storage). Only a coordinator keeps anything, only of their
 * own grids, only what the due list and household routes answer (names, addresses, masked phones),
 * encrypted, for three days at most.
 */

/** How long anything cached for offline use is good for. */
export const OFFLINE_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/** How many households of one due list are kept for offline use (a day's round and then some). */
export const MAX_CACHED_HOUSEHOLDS = 50;

/** Whether something saved at `savedAt` (ms) is still good at `now`. */
export const isFresh = (savedAt: number, now: number, ttl = OFFLINE_TTL_MS): boolean => savedAt <= now + 60_000 && now - savedAt < ttl;

/** Who may keep an offline copy: a coordinator, and only of a grid they answer for. */
export const mayCacheGrid = (role: Role, ownGrids: readonly string[], gridId: string): boolean =>
  role === 'grid_coordinator' && ownGrids.includes(gridId);

/** The households of a due list to keep for offline use: the coordinator's own grids only, the first ones. */
export function householdsToCache(role: Role, ownGrids: readonly string[], items: readonly DueHousehold[]): DueHousehold[] {
  return items.filter((h) => mayCacheGrid(role, ownGrids, h.gridId)).slice(0, MAX_CACHED_HOUSEHOLDS);
}

/** The names under which the offline store keeps each thing. */
export const cacheName = {
  grids: 'grids',
  due: (gridId: string) => `due:${gridId}`,
  household: (gridId: string, householdId: string) => `household:${gridId}:${householdId}`,
};

/**
 * A note as the device may keep it: ID numbers and mobile numbers masked by the book's own masking, as
 * the server masks it before storing (a masked number stays as it is).
 */
export const maskNote = (note: string): string => maskNumbersInText(note);
