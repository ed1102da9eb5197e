import { api } from '../api';
import { started } from '../load';
import type { CountySummary, Page, PutTownResult, Reconciliation, Town, TownSpec } from '@gridline/domain';

/** The county's answer also counts the households whose counters drifted. */
export type CountyReconciliation = Reconciliation & { householdsWithDrift?: number };

const townPath = (townId: string) => `/admin/towns/${encodeURIComponent(townId)}`;

/** The county console's calls (functions/src/routes.ts, `towns.*` and `county.*`): tenants and their counts. */
export const towns = {
  summary: () => api.get<CountySummary>('/admin/summary'),
  list: (limit: number, cursor: string | null = null) => api.get<Page<Town>>('/admin/towns', { limit, cursor }),
  /** Creates the town, or finds it already there with this spec: `created` tells which (201 or 200). */
  provision: async (townId: string, spec: TownSpec) => {
    const { status, body } = await api.put<PutTownResult>(townPath(townId), spec);
    return { result: body, created: status === 201 };
  },
  setStatus: (townId: string, action: 'suspend' | 'resume') => api.post<Town>(`${townPath(townId)}/${action}`),
  reconcile: (townId: string, fix: boolean) => api.post<CountyReconciliation>(`${townPath(townId)}/reconcile`, { fix }),
};

/** Tenants per page in the county console. */
export const TOWNS_PAGE = 20;

/** The console's first screen, started by `load` and not awaited there (each part fails on its own). */
export function countyStart() {
  return { summary: started(towns.summary()), towns: started(towns.list(TOWNS_PAGE)) };
}

/**
 * The towns' English names by town id (only those that have one), reading the list a hundred at a
 * time, at most ten pages. A failure leaves the names read so far: the Chinese ones are in every rollup.
 */
export async function englishTownNames(): Promise<Record<string, string>> {
  let cursor: string | null = null;
  const names: Record<string, string> = {};
  try {
    for (let i = 0; i < 10; i++) {
      const batch: Page<Town> = await towns.list(100, cursor);
      for (const town of batch.items) if (town.nameEn) names[town.townId] = town.nameEn;
      cursor = batch.nextCursor ?? null;
      if (!cursor) break;
    }
  } catch {
    // Only the English names are missing then.
  }
  return names;
}
