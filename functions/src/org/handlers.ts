import { orgOf } from '@gridline/data/org';
import { nameCoordinator, retireGrid as retireGridAndScope } from '../grid-scope';
import type { RouteRequest } from '../pipeline/route';
import type { orgChanges, orgReads } from './routes';

// The org chart's writes and history: loaded on the first such request (areas/town.ts binds them later).
type R<K extends keyof typeof orgChanges> = RouteRequest<(typeof orgChanges)[K]>;
type Read<K extends keyof typeof orgReads> = RouteRequest<(typeof orgReads)[K]>;

export const createCommunity = async ({ principal, body, now }: R<'createCommunity'>) => ({
  status: 201,
  body: await orgOf(principal.townId).createCommunity(body, principal.username, now),
});
export const renameCommunity = async ({ principal, params, body, now }: R<'renameCommunity'>) => ({
  body: await orgOf(principal.townId).renameCommunity(params.communityId, body.version, body.name, principal.username, now),
});
export const retireCommunity = async ({ principal, params, body, now }: R<'retireCommunity'>) => ({
  body: await orgOf(principal.townId).retire('community', params.communityId, body.version, principal.username, now),
});
export const createGrid = async ({ principal, body, now }: R<'createGrid'>) => ({
  status: 201,
  body: await orgOf(principal.townId).createGrid(body, principal.username, now),
});
export const changeGrid = async ({ principal, params, body, now }: R<'changeGrid'>) => {
  const { version, ...set } = body;
  return { body: await orgOf(principal.townId).changeGrid(params.gridId, version, set, principal.username, now) };
};
export const moveGrid = async ({ principal, params, body, now }: R<'moveGrid'>) => ({
  body: await orgOf(principal.townId).moveGrid(params.gridId, body.version, body.communityId, principal.username, now),
});
export const retireGrid = async ({ principal, params, body, now }: R<'retireGrid'>) => ({
  body: await retireGridAndScope(principal.townId, params.gridId, body.version, principal.username, now),
});
export const assignCoordinator = async ({ principal, params, body, now }: R<'assignCoordinator'>) => ({
  body: await nameCoordinator(principal.townId, params.gridId, body.version, body.username, principal.username, now),
});
export const createCourtyard = async ({ principal, body, now }: R<'createCourtyard'>) => ({
  status: 201,
  body: await orgOf(principal.townId).createCourtyard(body, principal.username, now),
});
export const renameCourtyard = async ({ principal, params, body, now }: R<'renameCourtyard'>) => ({
  body: await orgOf(principal.townId).renameCourtyard(params.courtyardId, body.version, body.name, principal.username, now),
});
export const moveCourtyard = async ({ principal, params, body, now }: R<'moveCourtyard'>) => ({
  body: await orgOf(principal.townId).moveCourtyard(params.courtyardId, body.version, body.gridId, principal.username, now),
});
export const retireCourtyard = async ({ principal, params, body, now }: R<'retireCourtyard'>) => ({
  body: await orgOf(principal.townId).retire('courtyard', params.courtyardId, body.version, principal.username, now),
});
export const orgHistory = async ({ principal, params, query }: Read<'orgHistory'>) => ({
  body: await orgOf(principal.townId).history(params.kind, params.id, query.limit, query.cursor),
});
