import { api } from '../api';
import type { Community, CommunityView, Courtyard, CourtyardView, Grid, GridView, OrgEvent, Page } from '@gridline/domain';
import type { OrgKind } from '@gridline/domain/rules';

/** What a town admin asked to do to the org chart, from a button on the hierarchy tree. */
export type OrgTarget = { kind: OrgKind; id: string; name: string; version: number; code?: string; parentId?: string };
export type OrgAction =
  | { op: 'addCommunity' }
  | { op: 'addGrid'; parent: OrgTarget }
  | { op: 'addCourtyard'; parent: OrgTarget }
  | { op: 'rename'; target: OrgTarget }
  | { op: 'move'; target: OrgTarget }
  | { op: 'retire'; target: OrgTarget }
  | { op: 'coordinator'; target: OrgTarget }
  | { op: 'history'; target: OrgTarget };

/** Where each kind of record is changed. */
export const ORG_PATH: Record<OrgKind, string> = { community: '/town/communities', grid: '/town/grids', courtyard: '/town/courtyards' };

type Versioned = { kind: OrgKind; id: string; version: number };

/** The org chart's changes (functions/src/routes.ts, `org.*`); each carries the version it was read at. */
export const orgApi = {
  addCommunity: (body: Pick<Community, 'name' | 'kind'>) => api.post<CommunityView>('/town/communities', body),
  addGrid: (body: Pick<Grid, 'communityId' | 'name' | 'code'>) => api.post<GridView>('/town/grids', body),
  addCourtyard: (body: Pick<Courtyard, 'gridId' | 'name'>) => api.post<CourtyardView>('/town/courtyards', body),
  rename: ({ kind, id, version }: Versioned, name: string, code?: string) =>
    api.patch(`${ORG_PATH[kind]}/${id}`, code ? { version, name, code } : { version, name }),
  /** A grid moves to another community, a courtyard to another grid. */
  move: ({ kind, id, version }: Versioned, parentId: string) =>
    api.post(`${ORG_PATH[kind]}/${id}/move`, kind === 'grid' ? { version, communityId: parentId } : { version, gridId: parentId }),
  retire: ({ kind, id, version }: Versioned) => api.post(`${ORG_PATH[kind]}/${id}/retire`, { version }),
  setCoordinator: (gridId: string, version: number, username: string) =>
    api.put(`/town/grids/${gridId}/coordinator`, { version, username }),
  history: (kind: OrgKind, id: string, limit = 50) => api.get<Page<OrgEvent>>(`/town/org/${kind}/${id}/history`, { limit }),
};
