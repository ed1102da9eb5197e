import { ApiError, api } from '../api';
// The domain's types under one name, so they never clash with the visit types of the coordinator's side.
import type * as D from '@gridline/domain';
import type { CorrectionView, DueList, DueQuery, NewCorrection, NewVisit, VisitHousehold, VisitReminder, VisitView } from './types';

/*
 * Household visits' calls to the API (functions/src/visits). The coordinator's side (routes.ts): due
 * lists, a household, recording a visit, reminders, proposing a correction. The staff side
 * (admin-routes.ts): the town's visit cycles with their history and the recompute job's progress,
 * coverage per place, and the review of book corrections proposed from visits.
 */
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

export type CyclesChange = D.VisitCyclesHistory['items'][number];

const decisionPath = (correctionId: string) => `/town/book-corrections/${encodeURIComponent(correctionId)}/decision`;

export const visitAdmin = {
  cycles: () => api.get<D.VisitCyclesView>('/town/visit-cycles'),
  /** A save at the version read (0 while the town runs on its defaults); a 409 means someone saved first. */
  saveCycles: (body: D.VisitCyclesBody) => api.put<D.VisitCyclesView>('/town/visit-cycles', body).then((r) => r.body),
  /** The saves, newest first. */
  history: () => api.get<D.VisitCyclesHistory>('/town/visit-cycles/history').then((r) => r.items),
  /** The town by community, or one community by grid. */
  coverage: (communityId?: string) => api.get<D.VisitCoverage>('/town/visit-coverage', communityId ? { communityId } : undefined),
  corrections: (status: D.CorrectionStatus, cursor?: string | null) =>
    api.get<D.CorrectionPage>('/town/book-corrections', { status, limit: 50, cursor }),
  /** A decision at the version read; a 409 means it was decided or changed meanwhile. */
  decide: (correctionId: string, body: D.CorrectionDecision) => api.post<D.CorrectionView>(decisionPath(correctionId), body),
};
