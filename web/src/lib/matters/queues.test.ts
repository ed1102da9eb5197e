import { describe, expect, it } from 'vitest';
import { canActOnMatters, canReadMatters, choiceFrom, levelOf, placesFor, queueRequest, readsWholeTown, searchOf, tabsFor } from './queues';

const coordinator = { grids: ['g1', 'g2'], communities: [] };
const staff = { grids: [], communities: ['c1'] };
const town = { grids: [], communities: [] };
const q = (s: string) => new URLSearchParams(s);

describe('the queues page', () => {
  it('gives each caller the tabs the API answers them', () => {
    expect(tabsFor('grid_coordinator', coordinator)).toEqual(['mine', 'level', 'visit', 'overdue', 'due_soon', 'grid']);
    expect(tabsFor('community_staff', staff)).toEqual(['mine', 'level', 'visit', 'overdue', 'due_soon', 'grid']);
    expect(tabsFor('town_admin', town)).toEqual(['mine', 'level', 'visit', 'overdue', 'due_soon', 'category', 'grid']);
    // Auditors act on nothing; one of the whole town also reads by category.
    expect(tabsFor('auditor', town)).toEqual(['level', 'visit', 'overdue', 'due_soon', 'category', 'grid']);
    expect(tabsFor('auditor', staff)).toEqual(['level', 'visit', 'overdue', 'due_soon', 'grid']);
    expect(tabsFor('mediator', town)).toEqual([]);
    expect([canReadMatters('auditor'), canActOnMatters('auditor'), canReadMatters('mediator'), canReadMatters('county_admin')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([readsWholeTown('town_admin', town), readsWholeTown('auditor', town), readsWholeTown('auditor', staff)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([
      levelOf('grid_coordinator', coordinator),
      levelOf('community_staff', staff),
      levelOf('auditor', staff),
      levelOf('auditor', town),
    ]).toEqual(['grid', 'community', 'community', 'town']);
  });

  it("asks a coordinator's queues for the grid level and one of their grids, the first by default", () => {
    expect(placesFor('grid_coordinator', coordinator)).toEqual(['g1', 'g2']);
    const first = choiceFrom(q('queue=level'), 'grid_coordinator', coordinator);
    expect(queueRequest(first, 'grid_coordinator', coordinator)).toEqual({ queue: 'level', level: 'grid', place: 'g1' });
    const second = choiceFrom(q('queue=overdue&place=g2'), 'grid_coordinator', coordinator);
    expect(queueRequest(second, 'grid_coordinator', coordinator)).toEqual({ queue: 'overdue', level: 'grid', place: 'g2' });
    // A place outside the scope in the URL falls back to their own.
    expect(choiceFrom(q('queue=visit&place=g9'), 'grid_coordinator', coordinator).place).toBe('g1');
  });

  it("asks community staff for their community's level, and the town for its level or the whole town's clocks", () => {
    expect(queueRequest(choiceFrom(q('queue=visit'), 'community_staff', staff), 'community_staff', staff)).toEqual({
      queue: 'visit',
      level: 'community',
      place: 'c1',
    });
    expect(queueRequest(choiceFrom(q('queue=due_soon'), 'community_staff', staff), 'community_staff', staff)).toEqual({
      queue: 'due_soon',
      level: 'community',
      place: 'c1',
    });
    expect(queueRequest(choiceFrom(q('queue=level'), 'town_admin', town), 'town_admin', town)).toEqual({ queue: 'level', level: 'town' });
    expect(queueRequest(choiceFrom(q('queue=overdue'), 'town_admin', town), 'town_admin', town)).toEqual({ queue: 'overdue' });
  });

  it('waits for a category or a grid to be chosen, and a handler without a place gets no level queue', () => {
    expect(queueRequest({ tab: 'category' }, 'town_admin', town)).toBeNull();
    expect(queueRequest({ tab: 'category', categoryId: 'safety' }, 'auditor', town)).toEqual({ queue: 'category', categoryId: 'safety' });
    expect(queueRequest({ tab: 'grid', gridId: 'g1' }, 'community_staff', staff)).toEqual({ queue: 'grid', gridId: 'g1' });
    expect(queueRequest(choiceFrom(q('queue=level'), 'grid_coordinator', town), 'grid_coordinator', town)).toBeNull();
  });

  it('falls back to the first tab the caller has and keeps the choice in the URL', () => {
    expect(choiceFrom(q('queue=mine'), 'auditor', staff).tab).toBe('level');
    expect(choiceFrom(q('queue=category'), 'grid_coordinator', coordinator).tab).toBe('mine');
    expect(choiceFrom(q(''), 'grid_coordinator', coordinator).tab).toBe('mine');
    expect(choiceFrom(q('queue=grid'), 'grid_coordinator', coordinator).gridId).toBe('g1');
    expect(choiceFrom(q('queue=grid'), 'community_staff', staff).gridId).toBeUndefined();
    expect(searchOf({ tab: 'grid', gridId: 'g2', place: 'ignored' })).toBe('?queue=grid&gridId=g2');
    expect(searchOf({ tab: 'due_soon', place: 'g2' })).toBe('?queue=due_soon&place=g2');
  });
});
