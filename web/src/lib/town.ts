import { api } from './api';
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
