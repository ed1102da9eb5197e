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
