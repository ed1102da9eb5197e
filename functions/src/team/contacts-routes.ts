import {
  CONTACTS_READ,
  contactsSchema,
  entityIdSchema,
  revealedSchema,
  revealSchema,
  TEAM_REVEAL,
  TOWN_ADMIN,
  teamMemberSchema,
  teamPhoneSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

/** A town route over team members' personal data: never cached, kept out of logs. */
const contact = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

const memberParams = z.strictObject({ coordinatorId: entityIdSchema });

/**
 * The team's personal data and "who to call" (issue 12 items 1 and 6, decisions 74–75): a member's ID
 * number or phone revealed with a reason, a phone corrected, and the directory of a community.
 */
export const teamContacts = {
  revealTeamMember: contact({
    id: 'team.reveal',
    response: revealedSchema,
    method: 'POST',
    path: '/town/team/{coordinatorId}/reveal',
    roles: TEAM_REVEAL,
    params: memberParams,
    body: revealSchema,
    summary: "Show a team member's ID number or phone in full, with a reason (audited, rate-limited like the book)",
  }),
  changeTeamPhone: contact({
    id: 'team.phone',
    response: teamMemberSchema,
    method: 'PUT',
    path: '/town/team/{coordinatorId}/phone',
    roles: TOWN_ADMIN,
    params: memberParams,
    body: teamPhoneSchema,
    summary: "Correct a team member's phone at the record's version (audited)",
  }),
  getContacts: contact({
    id: 'team.contacts',
    response: contactsSchema,
    method: 'GET',
    path: '/town/communities/{communityId}/contacts',
    roles: CONTACTS_READ,
    params: z.strictObject({ communityId: entityIdSchema }),
    summary: "Who to call: each grid's responsible coordinator and post holders, with their phones (staff of the town)",
  }),
} as const;
