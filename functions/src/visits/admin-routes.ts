import {
  CORRECTION_DECIDERS,
  CORRECTION_PROPOSERS,
  correctionDecisionSchema,
  correctionListQuerySchema,
  correctionPageSchema,
  correctionProposalSchema,
  correctionViewSchema,
  visitCoverageQuerySchema,
  visitCoverageSchema,
  VISITS_READ,
  entityIdSchema,
  TOWN_ADMIN,
  visitCyclesBodySchema,
  visitCyclesHistorySchema,
  visitCyclesViewSchema,
  visitReminderViewSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

/** A town route of the visits' administration: places and corrections are personal, so never cached. */
const visitAdmin = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

const correctionParams = z.strictObject({ correctionId: entityIdSchema });

/**
 * Household visits, administration (issue 14): the town's visit cycles with their history (a save
 * starts the paced recompute of every household's due), coverage from the maintained counters, the
 * caller's morning reminder, and book corrections proposed from visits with their review.
 */
export const visitAdminRoutes = {
  getVisitCycles: visitAdmin({
    id: 'visits.cycles',
    response: visitCyclesViewSchema,
    method: 'GET',
    path: '/town/visit-cycles',
    roles: VISITS_READ,
    summary: "The town's visit cycles (every household, each group), its tags for the editor, and the latest recompute's progress",
  }),
  saveVisitCycles: visitAdmin({
    id: 'visits.cycles.save',
    response: visitCyclesViewSchema,
    method: 'PUT',
    path: '/town/visit-cycles',
    roles: TOWN_ADMIN,
    body: visitCyclesBodySchema,
    summary: "Change the visit cycles at the version read; kept in their history, every household's due recomputed by a paced job",
  }),
  visitCyclesHistory: visitAdmin({
    id: 'visits.cycles.history',
    response: visitCyclesHistorySchema,
    method: 'GET',
    path: '/town/visit-cycles/history',
    roles: VISITS_READ,
    summary: "The visit cycles' saves, newest first",
  }),
  visitCoverage: visitAdmin({
    id: 'visits.coverage',
    response: visitCoverageSchema,
    method: 'GET',
    path: '/town/visit-coverage',
    roles: VISITS_READ,
    query: visitCoverageQuerySchema,
    summary: 'Households visited within their cycle: the town with a row per community, or a community with a row per grid (counters only)',
  }),
  visitReminder: visitAdmin({
    id: 'visits.reminder',
    response: visitReminderViewSchema,
    method: 'GET',
    path: '/town/visits/reminder',
    roles: VISITS_READ,
    summary: "The caller's morning reminder: households due today and overdue in their grids, as the 07:00 job counted them",
  }),
  proposeCorrection: visitAdmin({
    id: 'corrections.propose',
    success: [201],
    response: correctionViewSchema,
    method: 'POST',
    path: '/town/book-corrections',
    roles: CORRECTION_PROPOSERS,
    body: correctionProposalSchema,
    summary: 'Propose a correction of the book from a visit (a new phone, a person moved away or died, something else)',
  }),
  listCorrections: visitAdmin({
    id: 'corrections.list',
    response: correctionPageSchema,
    method: 'GET',
    path: '/town/book-corrections',
    roles: VISITS_READ,
    query: correctionListQuerySchema,
    summary: 'Book corrections of a status, newest first: those of the communities the caller decides for, and their own',
  }),
  decideCorrection: visitAdmin({
    id: 'corrections.decide',
    response: correctionViewSchema,
    method: 'POST',
    path: '/town/book-corrections/{correctionId}/decision',
    roles: CORRECTION_DECIDERS,
    params: correctionParams,
    body: correctionDecisionSchema,
    summary: 'Accept (the book changes in the same transaction) or reject a correction at the version read',
  }),
} as const;
