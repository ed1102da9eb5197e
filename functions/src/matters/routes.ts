import {
  entityIdSchema,
  MATTERS_ACT,
  MATTERS_READ,
  matterActionSchema,
  matterBoardSchema,
  matterCategoriesSchema,
  matterCategoryBodySchema,
  matterCategoryHistorySchema,
  matterCategorySchema,
  matterDetailSchema,
  matterIntakeSchema,
  matterLadderBodySchema,
  matterLadderSchema,
  matterPageSchema,
  matterQueueQuerySchema,
  notificationsSchema,
  TOWN_ADMIN,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { type RouteSpec, TOWN_ANY } from '../spec';

/** A town route over matters: reporters and places are personal, so never cached. */
const matters = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

const matterParams = z.strictObject({ matterId: entityIdSchema });
const categoryParams = z.strictObject({ categoryId: entityIdSchema });

/**
 * Matters (事件, issue 13): intake, the ladder's actions, the queues, a matter's page with its timeline,
 * the supervision board, the town's category catalogue and ladder, and the caller's notifications.
 * Readers see matters within their scope (`canReadMatter`); the ladder decides who acts (`decideMatter`).
 */
export const matterRoutes = {
  raiseMatter: matters({
    id: 'matters.raise',
    success: [201],
    response: matterDetailSchema,
    method: 'POST',
    path: '/town/matters',
    roles: MATTERS_ACT,
    body: matterIntakeSchema,
    summary: 'Raise a matter (登记) at the grid: category, place, description, reporter, urgency, channel, attachments',
  }),
  listMatters: matters({
    id: 'matters.list',
    response: matterPageSchema,
    method: 'GET',
    path: '/town/matters',
    roles: MATTERS_READ,
    query: matterQueueQuerySchema,
    summary: 'A queue of matters: mine, a level for a place, overdue, due soon, awaiting the return visit, by category, by grid',
  }),
  getMatter: matters({
    id: 'matters.get',
    response: matterDetailSchema,
    method: 'GET',
    path: '/town/matters/{matterId}',
    roles: MATTERS_READ,
    params: matterParams,
    summary: 'A matter with its clock, its timeline and the actions the caller may take',
  }),
  actOnMatter: matters({
    id: 'matters.act',
    response: matterDetailSchema,
    method: 'POST',
    path: '/town/matters/{matterId}/actions',
    roles: MATTERS_ACT,
    params: matterParams,
    body: matterActionSchema,
    summary: 'Take one action of the ladder at the version read (409 with the matter as it stands when someone acted first)',
  }),
  matterBoard: matters({
    id: 'matters.board',
    response: matterBoardSchema,
    method: 'GET',
    path: '/town/matter-board',
    roles: MATTERS_READ,
    summary: "The supervision board (督办): each level's running clocks by colour, this month's flows, the red matters",
  }),
  listCategories: matters({
    id: 'matters.categories',
    response: matterCategoriesSchema,
    method: 'GET',
    path: '/town/matter-categories',
    roles: TOWN_ANY,
    summary: "The town's matter categories with their SLAs per level",
  }),
  saveCategory: matters({
    id: 'matters.category.save',
    success: [200, 201],
    response: matterCategorySchema,
    method: 'PUT',
    path: '/town/matter-categories/{categoryId}',
    roles: TOWN_ADMIN,
    params: categoryParams,
    body: matterCategoryBodySchema,
    summary: 'Add a category (no version) or change one at the version read; every save is kept in its history',
  }),
  categoryHistory: matters({
    id: 'matters.category.history',
    response: matterCategoryHistorySchema,
    method: 'GET',
    path: '/town/matter-categories/{categoryId}/history',
    roles: TOWN_ANY,
    params: categoryParams,
    summary: "A category's saves, oldest first",
  }),
  getLadder: matters({
    id: 'matters.ladder',
    response: matterLadderSchema,
    method: 'GET',
    path: '/town/matter-ladder',
    roles: TOWN_ANY,
    summary: "The town's ladder: levels in use, skipping, transfers",
  }),
  saveLadder: matters({
    id: 'matters.ladder.save',
    response: matterLadderSchema,
    method: 'PUT',
    path: '/town/matter-ladder',
    roles: TOWN_ADMIN,
    body: matterLadderBodySchema,
    summary: "Change the town's ladder at the version read",
  }),
  listNotifications: matters({
    id: 'notifications.list',
    response: notificationsSchema,
    method: 'GET',
    path: '/town/notifications',
    roles: TOWN_ANY,
    summary: "The caller's in-app notifications (the supervision job's 督办), newest first",
  }),
} as const;
