import { api } from '../api';
// The domain's types under one name, so they never clash with the visit types of the coordinator's side.
import type * as D from '@gridline/domain';

/*
 * Household visits' calls to the API. The staff side (issue 14, routes 5–12 in
 * functions/src/visits/admin-routes.ts): the town's visit cycles with their history and the recompute
 * job's progress, coverage per place, and the review of book corrections proposed from visits.
 */

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
