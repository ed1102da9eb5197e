import { ApiError, api } from '../api';
import type { CorrectionView, DueList, DueQuery, NewCorrection, NewVisit, VisitHousehold, VisitReminder, VisitView } from './types';

/** Household visits' calls to the API (functions/src/visits): due lists, a household, recording a visit, reminders, corrections. */
export const visits = {
  due: (q: DueQuery) => api.get<DueList>('/town/visits/due', q),
  household: (gridId: string, householdId: string) =>
    api.get<VisitHousehold>(`/town/visits/households/${encodeURIComponent(gridId)}/${encodeURIComponent(householdId)}`),
  record: (body: NewVisit) => api.post<VisitView>('/town/visits', body),
  mine: (cursor: string | null = null) => api.get<{ items: VisitView[]; cursor?: string }>('/town/visits', { limit: 20, cursor }),
  /** This morning's counts; null where the server has no reminders yet (an older deployment answers 404). */
  reminder: () =>
    api.get<VisitReminder>('/town/visits/reminder').catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
  proposeCorrection: (body: NewCorrection) => api.post<CorrectionView>('/town/book-corrections', body),
};
