import { api } from '../api';
import type {
  MediationActionInput,
  MediationCaseView,
  MediationDetail,
  MediationIntake,
  MediationLevel,
  MediationSettings,
  MediationSettingsBody,
  MediationSummary,
  MediationView,
} from './types';

/**
 * Mediation's calls to the API (issue 15's routes under the town API): intake, the case lists, a case's
 * page and its actions, the month's figures and the town's settings. Every write carries the client's
 * idempotency key (lib/api.ts adds one per request); intake also names its own case id, so sending the
 * same form twice is the same case.
 */

/** What a list is asked for: the view, one level of the ladder or all, and the page. */
export type CaseListRequest = { view: MediationView; level?: MediationLevel; limit?: number; cursor?: string | null };
export type CasePage = { items: MediationCaseView[]; nextCursor: string | null };

const c = (caseId: string) => `/town/mediation/cases/${encodeURIComponent(caseId)}`;

export const mediation = {
  takeIn: (body: MediationIntake) => api.post<MediationDetail>('/town/mediation/cases', body),
  list: (q: CaseListRequest) => api.get<CasePage>('/town/mediation/cases', { ...q }),
  get: (caseId: string) => api.get<MediationDetail>(c(caseId)),
  /** One step at the version read; a 409 carries the case as it stands (`ApiError.current`). */
  act: (caseId: string, body: MediationActionInput) => api.post<MediationDetail>(`${c(caseId)}/actions`, body),
  summary: () => api.get<MediationSummary>('/town/mediation/summary'),
  settings: () => api.get<MediationSettings>('/town/mediation/settings'),
  saveSettings: (body: MediationSettingsBody) => api.put<MediationSettings>('/town/mediation/settings', body).then((r) => r.body),
};
