import type { Role } from '@gridline/domain/rules';
import type { CaseListRequest } from './api';
import { isParticipant, LEVELS, type MediationLevel, type MediationView } from './types';

/*
 * The case list's tabs and level filter, per role, and the request each choice makes. Pure: the page
 * passes the role and what the URL chose.
 */

/** The staff's tabs in the order shown: being mediated, flagged, follow-ups due, agreed, closed, failed. */
export const STAFF_TABS = ['open', 'flagged', 'follow_ups_due', 'agreed', 'closed', 'failed'] as const satisfies readonly MediationView[];
/** An invited participant's one tab: their invited cases (the server answers it whatever view is asked). */
export const PARTICIPANT_TABS = ['invited'] as const satisfies readonly MediationView[];

/** Cases per page of the list. */
export const CASE_PAGE = 25;

export const tabsFor = (role: Role): readonly MediationView[] => (isParticipant(role) ? PARTICIPANT_TABS : STAFF_TABS);

/** What the page chose: the tab, and one level of the ladder or none (all levels). */
export type ListChoice = { view: MediationView; level?: MediationLevel };

/** The choice a URL's query names (`?view=&level=`), falling back to the caller's first tab and all levels. */
export function choiceFrom(params: URLSearchParams, role: Role): ListChoice {
  const tabs = tabsFor(role);
  const asked = params.get('view');
  const view = tabs.find((t) => t === asked) ?? (tabs[0] as MediationView);
  const level = LEVELS.find((l) => l === params.get('level'));
  return level && !isParticipant(role) ? { view, level } : { view };
}

/** The request a choice makes for a page from `cursor` (null: the first). */
export const listRequest = (choice: ListChoice, cursor: string | null = null): CaseListRequest => ({
  view: choice.view,
  ...(choice.level ? { level: choice.level } : {}),
  limit: CASE_PAGE,
  ...(cursor ? { cursor } : {}),
});

/** The query string of a choice, for the page's URL (so back and reload keep the tab and the filter). */
export function searchOf(choice: ListChoice): string {
  const p = new URLSearchParams({ view: choice.view });
  if (choice.level) p.set('level', choice.level);
  return `?${p.toString()}`;
}
