import { describe, expect, it } from 'vitest';
import { canActOnMatters, canReadMatters, choiceFrom, placesFor, queueRequest, searchOf, tabsFor } from './queues';

const scope = { grids: ['g1', 'g2'], communities: [] };
const staff = { grids: [], communities: ['c1'] };
const q = (s: string) => new URLSearchParams(s);

describe('the queues page', () => {
  it('gives handlers their own tabs and readers the town-wide ones', () => {
    expect(tabsFor('grid_coordinator')).toEqual(['mine', 'level', 'visit', 'overdue', 'due_soon', 'category', 'grid']);
    expect(tabsFor('town_admin')[0]).toBe('mine');
    expect(tabsFor('auditor')).toEqual(['overdue', 'due_soon', 'category', 'grid']);
    expect([canReadMatters('auditor'), canActOnMatters('auditor'), canReadMatters('mediator'), canReadMatters('county_admin')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it("asks a coordinator's level queue for the grid level and one of their grids, the first by default", () => {
    expect(placesFor('grid_coordinator', scope)).toEqual(['g1', 'g2']);
    const first = choiceFrom(q('queue=level'), 'grid_coordinator', scope);
    expect(queueRequest(first, 'grid_coordinator')).toEqual({ queue: 'level', level: 'grid', place: 'g1' });
    const second = choiceFrom(q('queue=level&place=g2'), 'grid_coordinator', scope);
    expect(queueRequest(second, 'grid_coordinator')).toEqual({ queue: 'level', level: 'grid', place: 'g2' });
    // A place outside the scope in the URL falls back to their own.
    expect(choiceFrom(q('queue=visit&place=g9'), 'grid_coordinator', scope).place).toBe('g1');
  });

  it('asks community staff for their community and town admins for the town, with no place', () => {
    expect(queueRequest(choiceFrom(q('queue=visit'), 'community_staff', staff), 'community_staff')).toEqual({
      queue: 'visit',
      level: 'community',
      place: 'c1',
    });
    expect(queueRequest(choiceFrom(q('queue=level'), 'town_admin', { grids: [], communities: [] }), 'town_admin')).toEqual({
      queue: 'level',
      level: 'town',
    });
  });

  it('waits for a category or a grid to be chosen, and a handler without a place gets no level queue', () => {
    expect(queueRequest({ tab: 'category' }, 'auditor')).toBeNull();
    expect(queueRequest({ tab: 'category', categoryId: 'safety' }, 'auditor')).toEqual({ queue: 'category', categoryId: 'safety' });
    expect(queueRequest({ tab: 'grid', gridId: 'g1' }, 'town_admin')).toEqual({ queue: 'grid', gridId: 'g1' });
    expect(queueRequest(choiceFrom(q('queue=level'), 'grid_coordinator', { grids: [], communities: [] }), 'grid_coordinator')).toBeNull();
  });

  it('falls back to the first tab the role has and keeps the choice in the URL', () => {
    expect(choiceFrom(q('queue=mine'), 'auditor', staff).tab).toBe('overdue');
    expect(choiceFrom(q(''), 'grid_coordinator', scope).tab).toBe('mine');
    expect(searchOf({ tab: 'grid', gridId: 'g2', place: 'ignored' })).toBe('?queue=grid&gridId=g2');
    expect(searchOf({ tab: 'level', place: 'g2' })).toBe('?queue=level&place=g2');
  });
});
