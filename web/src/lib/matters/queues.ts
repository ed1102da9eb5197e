import type { MatterLevel, MatterQueue } from '@gridline/domain';
import { MATTERS_ACT, MATTERS_READ } from '@gridline/domain/matters/ladder';
import { isTownRole, type Role } from '@gridline/domain/rules';
import type { QueueRequest } from './api';

/*
 * The queues page's tabs, per role, and the request each one makes. Pure: the page passes the role,
 * the caller's scope and what the URL chose.
 */

/** The tabs of the queues page, in the order shown: 我的, 本级, 待回访, 超期, 即将超期, 按分类, 按网格. */
export const QUEUE_TABS = ['mine', 'level', 'visit', 'overdue', 'due_soon', 'category', 'grid'] as const satisfies readonly MatterQueue[];
export type QueueTab = (typeof QUEUE_TABS)[number];

export type Scope = { grids: readonly string[]; communities: readonly string[] };

/** Whether the role reads matters (MATTERS_READ): the pages' guard. */
export const canReadMatters = (role: Role): boolean => isTownRole(role) && MATTERS_READ.includes(role);
/** Whether the role raises and acts on matters (MATTERS_ACT): the raise button and the intake page. */
export const canActOnMatters = (role: Role): boolean => isTownRole(role) && MATTERS_ACT.includes(role);
/** Whether the role changes the catalogue and the ladder. */
export const canSetUpMatters = (role: Role): boolean => role === 'town_admin';

/** The level a role handles: coordinators the grid, community staff the community, town admins the town. */
export function levelOfRole(role: Role): MatterLevel | null {
  if (role === 'grid_coordinator') return 'grid';
  if (role === 'community_staff') return 'community';
  if (role === 'town_admin') return 'town';
  return null;
}

/** The tabs a role sees: those who handle a level get their own, their level's and its visits; readers the town's lists. */
export function tabsFor(role: Role): QueueTab[] {
  return levelOfRole(role) ? [...QUEUE_TABS] : ['overdue', 'due_soon', 'category', 'grid'];
}

/** The places the caller's level is kept for: a coordinator's grids, community staff's communities, none for the town. */
export function placesFor(role: Role, scope: Scope): string[] {
  if (role === 'grid_coordinator') return [...scope.grids];
  if (role === 'community_staff') return [...scope.communities];
  return [];
}

/** What the page chose: the tab and, where it needs one, the place, category or grid. */
export type QueueChoice = { tab: QueueTab; place?: string; categoryId?: string; gridId?: string };

/** The choice a URL's query names, falling back to the role's first tab and first place. */
export function choiceFrom(params: URLSearchParams, role: Role, scope: Scope): QueueChoice {
  const tabs = tabsFor(role);
  const asked = params.get('queue') as QueueTab | null;
  const tab = asked && tabs.includes(asked) ? asked : (tabs[0] as QueueTab);
  const places = placesFor(role, scope);
  const place = params.get('place');
  const choice: QueueChoice = { tab };
  if (tab === 'level' || tab === 'visit') {
    const p = place && places.includes(place) ? place : places[0];
    if (p) choice.place = p;
  }
  const categoryId = params.get('categoryId');
  if (tab === 'category' && categoryId) choice.categoryId = categoryId;
  const gridId = params.get('gridId');
  if (tab === 'grid' && gridId) choice.gridId = gridId;
  return choice;
}

/** The request a choice makes, or null while it lacks what its queue needs (a category, a grid, a place). */
export function queueRequest(choice: QueueChoice, role: Role): QueueRequest | null {
  switch (choice.tab) {
    case 'level':
    case 'visit': {
      const level = levelOfRole(role);
      if (!level) return null;
      if (level === 'town') return { queue: choice.tab, level };
      return choice.place ? { queue: choice.tab, level, place: choice.place } : null;
    }
    case 'category':
      return choice.categoryId ? { queue: 'category', categoryId: choice.categoryId } : null;
    case 'grid':
      return choice.gridId ? { queue: 'grid', gridId: choice.gridId } : null;
    default:
      return { queue: choice.tab };
  }
}

/** The query string of a choice, for the page's URL (so back and reload keep the tab). */
export function searchOf(choice: QueueChoice): string {
  const p = new URLSearchParams({ queue: choice.tab });
  if (choice.place && (choice.tab === 'level' || choice.tab === 'visit')) p.set('place', choice.place);
  if (choice.categoryId && choice.tab === 'category') p.set('categoryId', choice.categoryId);
  if (choice.gridId && choice.tab === 'grid') p.set('gridId', choice.gridId);
  return `?${p.toString()}`;
}
