import { api } from '../api';
import { started } from '../load';
import type {
  HierarchyView as Hierarchy,
  Page,
  Reconciliation,
  StaffView as Staff,
  TownConfigView as TownConfig,
  TownCounters,
  TownMe,
} from '@gridline/domain';

/** The town overview's calls (functions/src/routes.ts, `town.*`): who I am, the counters, the org chart, the staff. */
export const town = {
  me: () => api.get<TownMe>('/town/me'),
  counters: () => api.get<TownCounters>('/town/summary'),
  hierarchy: () => api.get<Hierarchy>('/town/hierarchy'),
  config: () => api.get<TownConfig>('/town/config'),
  staff: (limit: number, cursor: string | null = null) => api.get<Page<Staff>>('/town/staff', { limit, cursor }),
  reconcile: (fix: boolean) => api.post<Reconciliation>('/town/reconcile', { fix }),
};

/** Staff rows per page on the overview. */
export const STAFF_PAGE = 25;

/**
 * The overview's first screen, started by `load` and not awaited there: each part arrives, or fails
 * with its own notice and retry, on its own.
 */
export function townStart(withStaff: boolean) {
  return {
    overview: started(Promise.all([town.me(), town.counters()])),
    hierarchy: started(town.hierarchy()),
    staff: withStaff ? started(Promise.all([town.staff(STAFF_PAGE), town.config()])) : null,
  };
}
