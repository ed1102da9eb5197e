import { api } from '../api';
import type { Page, StaffChange, StaffDetail, StaffInvite, StaffMember, StaffView } from '@gridline/domain';

/**
 * The staff's calls to the API (functions/src/staff/routes.ts, and the list `town.staff`): staff of the
 * roles other than grid coordinator, invited, changed, disabled and enabled by town admins.
 */

const m = (username: string) => `/town/staff/${encodeURIComponent(username)}`;

export const staff = {
  list: (opts: { cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<StaffView>>('/town/staff', { limit: opts.limit ?? 100, cursor: opts.cursor }),
  /** Every staff member, page after page (a town's staff is a few dozen people). */
  all: async (): Promise<StaffView[]> => {
    const rows: StaffView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<StaffView> = await staff.list({ cursor });
      rows.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return rows;
  },
  get: (username: string) => api.get<StaffDetail>(m(username)),
  invite: (body: StaffInvite) => api.post<StaffMember>('/town/staff', body),
  change: (username: string, body: StaffChange) => api.patch<StaffMember>(m(username), body),
  disable: (username: string, reason: string) => api.post<StaffMember>(`${m(username)}/disable`, { reason }),
  enable: (username: string, reason?: string) => api.post<StaffMember>(`${m(username)}/enable`, reason ? { reason } : {}),
};

/** The roles a town admin chooses from here (grid coordinators follow their team record instead). */
export const STAFF_ROLE_CHOICES = [
  'community_staff',
  'mediator',
  'auditor',
  'town_admin',
] as const satisfies readonly StaffInvite['role'][];
