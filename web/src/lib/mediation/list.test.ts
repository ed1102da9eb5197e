import { mediationListQuerySchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { CASE_PAGE, choiceFrom, listRequest, searchOf, tabsFor } from './list';

const q = (s: string) => new URLSearchParams(s);

describe('the case list’s tabs and filter', () => {
  it('gives staff the six views and a participant only their invited cases', () => {
    expect(tabsFor('community_staff')).toEqual(['open', 'flagged', 'follow_ups_due', 'agreed', 'closed', 'failed']);
    expect(tabsFor('participant')).toEqual(['invited']);
  });

  it('reads the view and level from the URL, falling back to the first tab and every level', () => {
    expect(choiceFrom(q(''), 'town_admin')).toEqual({ view: 'open' });
    expect(choiceFrom(q('view=failed&level=town'), 'mediator')).toEqual({ view: 'failed', level: 'town' });
    expect(choiceFrom(q('view=invited&level=sky'), 'auditor')).toEqual({ view: 'open' });
    expect(choiceFrom(q('view=open&level=community'), 'participant')).toEqual({ view: 'invited' });
  });

  it('asks for a page the route’s query schema takes, following the cursor', () => {
    const first = listRequest({ view: 'flagged', level: 'courtyard' });
    expect(first).toEqual({ view: 'flagged', level: 'courtyard', limit: CASE_PAGE });
    expect(listRequest({ view: 'open' }, 'abc')).toEqual({ view: 'open', limit: CASE_PAGE, cursor: 'abc' });
    expect(mediationListQuerySchema.safeParse(listRequest({ view: 'follow_ups_due' }, 'c1')).success).toBe(true);
  });

  it('writes the choice back into the query string', () => {
    expect(searchOf({ view: 'agreed' })).toBe('?view=agreed');
    expect(searchOf({ view: 'open', level: 'community' })).toBe('?view=open&level=community');
    expect(choiceFrom(q(searchOf({ view: 'closed', level: 'town' }).slice(1)), 'town_admin')).toEqual({ view: 'closed', level: 'town' });
  });
});
