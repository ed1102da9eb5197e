import { api } from '../api';
import type { Label, RunStatus } from '@gridline/domain';

/*
 * The staff side of household visits (issue 14, the contract's routes 5–12): the town's visit cycles
 * with their history and the recompute job's progress, coverage per place, and the book corrections
 * proposed from visits. The shapes are the contract's; the server is functions/src/visits/admin-routes.ts.
 */

/** A tag the cycles editor offers: the town's special groups and key groups. */
export type CycleTag = { id: string; label: Label; kind: 'special' | 'key' };
/** The recompute job started by a save, while it runs and after. */
export type CycleRecompute = { runId: string; status: RunStatus; done: number; total: number };
export type CyclesView = {
  householdDays: number;
  byTag: Record<string, number>;
  version: number;
  updatedAt?: string;
  updatedBy?: string;
  tags: CycleTag[];
  recompute?: CycleRecompute;
};
export type CyclesBody = { version: number; householdDays: number; byTag: Record<string, number> };
export type CyclesChange = { version: number; householdDays: number; byTag: Record<string, number>; at: string; by: string };

export type CoveragePlaceKind = 'town' | 'community' | 'grid';
export type CoverageRow = {
  placeId: string;
  placeKind: CoveragePlaceKind;
  households: number;
  overdue: number;
  covered: number;
  share: number;
};
export type CoverageView = { today: string; town: CoverageRow; rows: CoverageRow[] };

export const CORRECTION_STATUSES = ['open', 'accepted', 'rejected'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];
export const CORRECTION_KINDS = ['phone', 'moved_away', 'died', 'other'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];
export type CorrectionView = {
  correctionId: string;
  status: CorrectionStatus;
  kind: CorrectionKind;
  gridId: string;
  householdId: string;
  personId?: string;
  visitId?: string;
  phoneMasked?: string;
  note?: string;
  proposedBy: string;
  proposedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  version: number;
};
export type CorrectionPage = { items: CorrectionView[]; cursor?: string };
export type CorrectionDecision = { version: number; decision: 'accept' | 'reject'; reason?: string };

const decisionPath = (correctionId: string) => `/town/book-corrections/${encodeURIComponent(correctionId)}/decision`;

export const visitAdmin = {
  cycles: () => api.get<CyclesView>('/town/visit-cycles'),
  /** A save at the version read; a 409 means someone saved first. */
  saveCycles: (body: CyclesBody) => api.put<CyclesView>('/town/visit-cycles', body).then((r) => r.body),
  history: () => api.get<{ items: CyclesChange[] }>('/town/visit-cycles/history').then((r) => r.items),
  coverage: (communityId?: string) => api.get<CoverageView>('/town/visit-coverage', communityId ? { communityId } : undefined),
  corrections: (status: CorrectionStatus, cursor?: string | null) =>
    api.get<CorrectionPage>('/town/book-corrections', { status, limit: 50, cursor }),
  decide: (correctionId: string, body: CorrectionDecision) => api.post<CorrectionView>(decisionPath(correctionId), body),
};
