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
/** Whether the role may open the supervision board (the server also refuses auditors of some communities). */
export const canSeeBoard = (role: Role): boolean => role === 'town_admin' || role === 'auditor';

/** Whether the caller reads the whole town's lists (by category, town-wide overdue, the board): town admins and auditors of no community. */
export const readsWholeTown = (role: Role, scope: Scope): boolean =>
  role === 'town_admin' || (role === 'auditor' && scope.communities.length === 0);

/**
 * The level whose queues the caller reads for their places: coordinators the grid, community staff and
 * auditors of some communities the community, the whole town the town; null for a role of neither.
 */
export function levelOf(role: Role, scope: Scope): MatterLevel | null {
  if (readsWholeTown(role, scope)) return 'town';
  if (role === 'grid_coordinator') return 'grid';
  if (role === 'community_staff' || role === 'auditor') return 'community';
  return null;
}

/** The places the caller's level is kept for: a coordinator's grids, the communities of staff or an auditor, none for the town. */
export function placesFor(role: Role, scope: Scope): string[] {
  const level = levelOf(role, scope);
  if (level === 'grid') return [...scope.grids];
  if (level === 'community') return [...scope.communities];
  return [];
}

/** Tabs whose queue is kept per level and place (the town's own needs no place). */
const PLACED: readonly QueueTab[] = ['level', 'visit', 'overdue', 'due_soon'];

/**
 * The tabs a caller sees: those who act get their own matters; everyone their level's queue, its return
 * visits, its overdue and due-soon matters and the grids they reach; the whole town also by category.
 */
export function tabsFor(role: Role, scope: Scope): QueueTab[] {
  if (!levelOf(role, scope)) return [];
  return QUEUE_TABS.filter((tab) => (tab === 'mine' ? canActOnMatters(role) : tab === 'category' ? readsWholeTown(role, scope) : true));
}

/** What the page chose: the tab and, where it needs one, the place, category or grid. */
export type QueueChoice = { tab: QueueTab; place?: string; categoryId?: string; gridId?: string };

/** The choice a URL's query names, falling back to the caller's first tab, first place and (a coordinator's) first grid. */
export function choiceFrom(params: URLSearchParams, role: Role, scope: Scope): QueueChoice {
  const tabs = tabsFor(role, scope);
  const asked = params.get('queue') as QueueTab | null;
  const tab = asked && tabs.includes(asked) ? asked : (tabs[0] ?? 'level');
  const places = placesFor(role, scope);
  const place = params.get('place');
  const choice: QueueChoice = { tab };
  if (PLACED.includes(tab)) {
    const p = place && places.includes(place) ? place : places[0];
    if (p) choice.place = p;
  }
  const categoryId = params.get('categoryId');
  if (tab === 'category' && categoryId) choice.categoryId = categoryId;
  // A coordinator's own first grid by default; others choose among the grids they reach.
  const gridId = params.get('gridId') ?? scope.grids[0];
  if (tab === 'grid' && gridId) choice.gridId = gridId;
  return choice;
}

/** The request a choice makes, or null while it lacks what its queue needs (a category, a grid, a place). */
export function queueRequest(choice: QueueChoice, role: Role, scope: Scope): QueueRequest | null {
  const level = levelOf(role, scope);
  if (!level) return null;
  switch (choice.tab) {
    case 'level':
    case 'visit':
    case 'overdue':
    case 'due_soon':
      // The whole town's overdue and due-soon lists span every level; its own queues are the town level's.
      if (level === 'town')
        return choice.tab === 'overdue' || choice.tab === 'due_soon' ? { queue: choice.tab } : { queue: choice.tab, level };
      return choice.place ? { queue: choice.tab, level, place: choice.place } : null;
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
  if (choice.place && PLACED.includes(choice.tab)) p.set('place', choice.place);
  if (choice.categoryId && choice.tab === 'category') p.set('categoryId', choice.categoryId);
  if (choice.gridId && choice.tab === 'grid') p.set('gridId', choice.gridId);
  return `?${p.toString()}`;
}
