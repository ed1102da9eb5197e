import { api } from '../api';
import type {
  Appoint,
  ContactsView,
  CoordinatorView,
  CoverageView,
  Exit,
  Inspect,
  Override,
  Page,
  Recommend,
  RevealField,
  TeamEventView,
  Train,
  Transfer,
} from '@gridline/domain';

/**
 * The team's calls to the API (functions/src/team/routes.ts): the list, a person's record and history,
 * each step of the record, the coverage matrix of a community and naming a grid's responsible coordinator.
 */

/** A row of the team list. */
export type TeamRow = Pick<CoordinatorView, 'coordinatorId' | 'name' | 'communityId' | 'stage' | 'updatedAt'>;
export type TeamDetail = { coordinator: CoordinatorView; history: TeamEventView[] };

const m = (coordinatorId: string) => `/town/team/${encodeURIComponent(coordinatorId)}`;

export const team = {
  list: (opts: { cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<TeamRow>>('/town/team', { limit: opts.limit ?? 100, cursor: opts.cursor }),
  /** Every row, page after page (a town's team is a few dozen people). */
  all: async (): Promise<TeamRow[]> => {
    const rows: TeamRow[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<TeamRow> = await team.list({ cursor });
      rows.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return rows;
  },
  get: (coordinatorId: string) => api.get<TeamDetail>(m(coordinatorId)),
  recommend: (body: Recommend) => api.post<CoordinatorView>('/town/team', body),
  inspect: (coordinatorId: string, body: Inspect) => api.post<CoordinatorView>(`${m(coordinatorId)}/inspect`, body),
  train: (coordinatorId: string, body: Train) => api.post<CoordinatorView>(`${m(coordinatorId)}/train`, body),
  appoint: (coordinatorId: string, body: Appoint) => api.post<CoordinatorView>(`${m(coordinatorId)}/appoint`, body),
  transfer: (coordinatorId: string, body: Transfer) => api.post<CoordinatorView>(`${m(coordinatorId)}/transfer`, body),
  leave: (coordinatorId: string, body: Exit) => api.post<CoordinatorView>(`${m(coordinatorId)}/leave`, body),
  dismiss: (coordinatorId: string, body: Exit) => api.post<CoordinatorView>(`${m(coordinatorId)}/dismiss`, body),
  override: (coordinatorId: string, body: Override) => api.post<CoordinatorView>(`${m(coordinatorId)}/override`, body),
  coverage: (communityId: string) => api.get<CoverageView>(`/town/communities/${encodeURIComponent(communityId)}/coverage`),
  /** PUT answers with its status too; the coverage after the change is its body. */
  nameResponsible: (gridId: string, coordinatorId: string) =>
    api.put<CoverageView>(`/town/grids/${encodeURIComponent(gridId)}/responsible`, { coordinatorId }).then((r) => r.body),
  /** A member's ID number or phone in full, with a reason (audited, on the book's hourly allowance). */
  reveal: (coordinatorId: string, field: RevealField, reason: string) =>
    api.post<{ field: RevealField; value: string }>(`${m(coordinatorId)}/reveal`, { field, reason }),
  /** Corrects a member's phone at the version read; the record after. */
  changePhone: (coordinatorId: string, phone: string, version: number) =>
    api.put<CoordinatorView>(`${m(coordinatorId)}/phone`, { phone, version }).then((r) => r.body),
  /** Who to call in a community: per grid, the responsible coordinator and the post holders with their phones. */
  contacts: (communityId: string) => api.get<ContactsView>(`/town/communities/${encodeURIComponent(communityId)}/contacts`),
};
