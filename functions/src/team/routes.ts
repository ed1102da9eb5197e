import {
  appointSchema,
  coverageSchema,
  entityIdSchema,
  exitSchema,
  inspectSchema,
  nameResponsibleSchema,
  overrideSchema,
  pageOf,
  recommendSchema,
  TEAM_READ,
  TOWN_ADMIN,
  teamMemberDetailSchema,
  teamMemberSchema,
  teamRowSchema,
  trainSchema,
  transferSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { pageQuery, type RouteSpec } from '../spec';

const memberParams = z.strictObject({ coordinatorId: entityIdSchema });

/** A town route over the team: names of people, never cached. */
const team = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

/** One step of a coordinator's record, `POST /town/team/{coordinatorId}/<step>`: town admins only. */
const step = <const Id extends string, const S extends string, const B extends z.core.$ZodType>(
  id: Id,
  path: S,
  body: B,
  summary: string,
) =>
  team({
    id,
    response: teamMemberSchema,
    method: 'POST',
    path: `/town/team/{coordinatorId}/${path}`,
    roles: TOWN_ADMIN,
    params: memberParams,
    body,
    summary,
  });

/** The team (协管员队伍): each person's record from recommendation to dismissal, coverage, the fixed person. */
export const teamRoutes = {
  listTeam: team({
    id: 'team.list',
    response: pageOf(teamRowSchema),
    method: 'GET',
    path: '/town/team',
    roles: TEAM_READ,
    query: pageQuery,
    summary: 'The town team, each person with the stage reached',
  }),
  recommendCandidate: team({
    id: 'team.recommend',
    success: [201],
    response: teamMemberSchema,
    method: 'POST',
    path: '/town/team',
    roles: TOWN_ADMIN,
    body: recommendSchema,
    summary: 'Record a candidate recommended publicly (公开推荐)',
  }),
  getTeamMember: team({
    id: 'team.get',
    response: teamMemberDetailSchema,
    method: 'GET',
    path: '/town/team/{coordinatorId}',
    roles: TEAM_READ,
    params: memberParams,
    summary: "A person's record and history",
  }),
  inspectCandidate: step('team.inspect', 'inspect', inspectSchema, 'Record the community inspection (社区考察)'),
  trainCandidate: step('team.train', 'train', trainSchema, 'Record pre-job training and its exam (岗前培训)'),
  appointCoordinator: step('team.appoint', 'appoint', appointSchema, 'Appoint: grids, posts, document number (上岗)'),
  transferCoordinator: step('team.transfer', 'transfer', transferSchema, 'Transfer to other grids or posts, with a reason'),
  recordLeave: step('team.leave', 'leave', exitSchema, 'Record that the person left, with a reason'),
  dismissCoordinator: step('team.dismiss', 'dismiss', exitSchema, 'Dismiss an appointed coordinator, with a reason'),
  overrideStep: step('team.override', 'override', overrideSchema, "Waive inspection or training (a town admin's override, with a reason)"),
  getCoverage: team({
    id: 'team.coverage',
    response: coverageSchema,
    method: 'GET',
    path: '/town/communities/{communityId}/coverage',
    roles: TEAM_READ,
    params: z.strictObject({ communityId: entityIdSchema }),
    summary: 'The coverage matrix of a community: grids × posts, and its gaps',
  }),
  nameResponsible: team({
    id: 'team.responsible',
    response: coverageSchema,
    method: 'PUT',
    path: '/town/grids/{gridId}/responsible',
    roles: TOWN_ADMIN,
    params: z.strictObject({ gridId: entityIdSchema }),
    body: nameResponsibleSchema,
    summary: "Name a grid's responsible coordinator (定人), replacing the previous one",
  }),
} as const;
