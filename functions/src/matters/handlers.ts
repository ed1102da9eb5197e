import { mattersOf } from '@gridline/data/matters';
import type { RouteRequest } from '../pipeline/route';
import type { matterRoutes } from './routes';

// The matters' routes: loaded on the first such request.
type R<K extends keyof typeof matterRoutes> = RouteRequest<(typeof matterRoutes)[K]>;

export const raiseMatter = async ({ principal, body, now }: R<'raiseMatter'>) => ({
  status: 201,
  body: await mattersOf(principal).raise(body, now),
});
export const listMatters = async ({ principal, query, now }: R<'listMatters'>) => ({ body: await mattersOf(principal).list(query, now) });
export const getMatter = async ({ principal, params, now }: R<'getMatter'>) => ({
  body: await mattersOf(principal).get(params.matterId, now),
});
export const actOnMatter = async ({ principal, params, body, now }: R<'actOnMatter'>) => ({
  body: await mattersOf(principal).act(params.matterId, body, now),
});
export const matterBoard = async ({ principal, now }: R<'matterBoard'>) => ({ body: await mattersOf(principal).board(now) });
export const listCategories = async ({ principal }: R<'listCategories'>) => ({
  body: { categories: await mattersOf(principal).categories() },
});
export const saveCategory = async ({ principal, params, body, now }: R<'saveCategory'>) => {
  const saved = await mattersOf(principal).saveCategory(params.categoryId, body, now);
  return { status: saved.created ? 201 : 200, body: saved.category };
};
export const categoryHistory = async ({ principal, params }: R<'categoryHistory'>) => ({
  body: await mattersOf(principal).categoryHistory(params.categoryId),
});
export const getLadder = async ({ principal }: R<'getLadder'>) => ({ body: await mattersOf(principal).ladder() });
export const saveLadder = async ({ principal, body, now }: R<'saveLadder'>) => ({
  body: await mattersOf(principal).saveLadder(body.ladder, body.version, now),
});
export const listNotifications = async ({ principal }: R<'listNotifications'>) => ({
  body: { items: await mattersOf(principal).notifications() },
});
