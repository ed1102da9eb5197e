import {
  entityIdSchema,
  MEDIATION_CASE_ACT,
  MEDIATION_CASE_READ,
  MEDIATION_READ,
  MEDIATION_WRITE,
  mediationActionSchema,
  mediationCasePageSchema,
  mediationDetailSchema,
  mediationIntakeSchema,
  mediationListQuerySchema,
  mediationSettingsBodySchema,
  mediationSettingsSchema,
  mediationSummarySchema,
  TOWN_ADMIN,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

/** A town route over mediation: parties and what they said are personal, so never cached. */
const mediation = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

const caseParams = z.strictObject({ caseId: entityIdSchema });

/**
 * Disputes and mediation (矛盾纠纷调解, issue 15): intake, a case's steps, the lists, a case's page, the
 * month's figures and the town's settings. Readers see cases within their scope and posts
 * (`maySeeCase`); an invited outside participant (`participant`) reaches the case routes only, and
 * through them only the cases with a running invitation naming their account (decisions 152, 160).
 */
export const mediationRoutes = {
  takeInCase: mediation({
    id: 'mediation.take_in',
    success: [201],
    response: mediationDetailSchema,
    method: 'POST',
    path: '/town/mediation/cases',
    roles: MEDIATION_WRITE,
    body: mediationIntakeSchema,
    summary:
      'Take a dispute in (受理): parties from the book or outside, type, place, risk, how it was found, the level it starts at (分流 with a reason); the same request again answers the same case',
  }),
  listCases: mediation({
    id: 'mediation.list',
    response: mediationCasePageSchema,
    method: 'GET',
    path: '/town/mediation/cases',
    roles: MEDIATION_CASE_READ,
    query: mediationListQuerySchema,
    summary:
      'A page of cases of a view (open, agreed, closed, failed, flagged, follow-ups due, invited) within the caller’s reach; an invited participant gets their invited cases only',
  }),
  getCase: mediation({
    id: 'mediation.get',
    response: mediationDetailSchema,
    method: 'GET',
    path: '/town/mediation/cases/{caseId}',
    roles: MEDIATION_CASE_READ,
    params: caseParams,
    summary: 'A case with its timeline, invitations, the parties’ names and the steps the caller may take (404 for a case out of reach)',
  }),
  actOnCase: mediation({
    id: 'mediation.act',
    response: mediationDetailSchema,
    method: 'POST',
    path: '/town/mediation/cases/{caseId}/actions',
    roles: MEDIATION_CASE_ACT,
    params: caseParams,
    body: mediationActionSchema,
    summary:
      'One step at the version read: escalate, a session, a note, agreement or failure, a follow-up, an invitation (409 with the case as it stands when someone acted first)',
  }),
  mediationSummary: mediation({
    id: 'mediation.summary',
    response: mediationSummarySchema,
    method: 'GET',
    path: '/town/mediation/summary',
    roles: MEDIATION_READ,
    summary: "This month's figures: received, mediated, agreements, failures, joint, by level and type; success rate and joint share",
  }),
  mediationSettings: mediation({
    id: 'mediation.settings',
    response: mediationSettingsSchema,
    method: 'GET',
    path: '/town/mediation/settings',
    roles: MEDIATION_READ,
    summary: "The town's mediation settings: follow-up days after signing, dispute types in use",
  }),
  saveMediationSettings: mediation({
    id: 'mediation.settings.save',
    response: mediationSettingsSchema,
    method: 'PUT',
    path: '/town/mediation/settings',
    roles: TOWN_ADMIN,
    body: mediationSettingsBodySchema,
    summary: "Change the town's mediation settings at the version read (none: the first save over the defaults)",
  }),
} as const;
