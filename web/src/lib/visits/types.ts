/*
 * The visit routes' shapes as the web app reads and sends them: the server's own types (issue 14), so a
 * field the server adds or renames breaks the web app's build first. Only types come from the domain
 * package; the two lists of values the pages show are repeated here, checked against the domain's, so
 * the visits' pages do not bundle the server's schemas.
 */
import type {
  CorrectionKind,
  CorrectionProposal,
  VisitKind,
  VisitBody,
  VisitDuePage,
  VisitReminderView,
  VisitView as ServerVisitView,
} from '@gridline/domain';

export type {
  CorrectionKind,
  CorrectionView,
  DueHousehold,
  VisitFlag,
  VisitHousehold,
  VisitKind,
  VisitMember,
} from '@gridline/domain';

export const VISIT_KINDS = ['routine', 'follow_up', 'special_group', 'key_group'] as const satisfies readonly VisitKind[];
export const CORRECTION_KINDS = ['phone', 'moved_away', 'died', 'other'] as const satisfies readonly CorrectionKind[];
/** Both lists name every value the server knows, not only some of them (the compiler checks it). */
type Every<List, All> = [All] extends [List] ? true : false;
const everyValue: [Every<(typeof VISIT_KINDS)[number], VisitKind>, Every<(typeof CORRECTION_KINDS)[number], CorrectionKind>] = [true, true];
void everyValue;

/** A visit as the server answers it; `replayed` is absent on a visit still waiting on the device. */
export type VisitView = Omit<ServerVisitView, 'replayed'> & { replayed?: boolean };
export type DueList = VisitDuePage;
export type DueQuery = ({ gridId: string } | { communityId: string }) & { through?: string; limit?: number; cursor?: string };
/** Route 3's body. `visitId` is made on the device, so a replay of the same visit is a no-op. */
export type NewVisit = VisitBody;
/** The caller's counts from this morning's reminders job (`on` null before its first run). */
export type VisitReminder = VisitReminderView;
/** A proposed correction of the book, decided by staff. */
export type NewCorrection = CorrectionProposal;
