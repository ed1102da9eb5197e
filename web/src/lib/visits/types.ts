/*
 * The visit routes' shapes as the web app reads them (the shared contract of issue 14, routes 1–4, 9
 * and 10). Written here, as plain types, so the pages build before the server's schemas land; the
 * server's own types must stay assignable to these.
 */

export const VISIT_KINDS = ['routine', 'follow_up', 'special_group', 'key_group'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** Why a stored visit needs a look: the household changed since the device read it, or it had closed. */
export type VisitFlag = 'household_changed' | 'household_closed';

/** A household on a due list (route 1), and the head of a household's page (route 2). */
export type DueHousehold = {
  householdId: string;
  gridId: string;
  communityId: string;
  courtyardId?: string;
  door: string;
  code?: string;
  cycleDays: number;
  drivenBy: string[];
  due: string;
  lastVisitOn?: string;
  overdueDays: number;
  version: number;
};

export type DueList = { today: string; items: DueHousehold[]; cursor?: string };
export type DueQuery = ({ gridId: string } | { communityId: string }) & { through?: string; limit?: number; cursor?: string };

/** A visit as the server answers it (route 3's answer; route 2's recent visits). */
export type VisitView = {
  visitId: string;
  gridId: string;
  householdId: string;
  visitedAt: string;
  on: string;
  kind: VisitKind;
  seen: string[];
  checks: string[];
  note?: string;
  by: string;
  recordedAt: string;
  flags: VisitFlag[];
  due?: string;
  replayed?: boolean;
};

/** A member as route 2 shows them: the name, the relation, the phone masked, the tags. */
export type VisitMember = {
  personId: string;
  name: string;
  relation: string;
  phoneMasked?: string;
  tags: string[];
  keyTags?: string[];
};

export type VisitHousehold = { today: string; household: DueHousehold; members: VisitMember[]; visits: VisitView[] };

/** Route 3's body. `visitId` is made on the device, so a replay of the same visit is a no-op. */
export type NewVisit = {
  visitId: string;
  gridId: string;
  householdId: string;
  visitedAt: string;
  kind: VisitKind;
  seen: string[];
  checks: string[];
  note?: string;
  seenVersion?: number;
};

/** Route 9: the caller's counts from this morning's reminders job (`on` null before its first run). */
export type VisitReminder = { on: string | null; dueToday: number; overdue: number };

export const CORRECTION_KINDS = ['phone', 'moved_away', 'died', 'other'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/** Route 10's body: a proposed correction of the book, decided by staff. */
export type NewCorrection = {
  kind: CorrectionKind;
  gridId: string;
  householdId: string;
  personId?: string;
  visitId?: string;
  phone?: string;
  note?: string;
};
export type CorrectionView = NewCorrection & { correctionId: string; status: string; phoneMasked?: string; proposedAt: string };

/*
 * Kept in step with the server's schemas: each of these must accept what the API answers (the compiler
 * checks it below; a field the server adds or renames breaks the build here first).
 */
type Answers<Server, Web> = Server extends Web ? true : false;
const answersMatch: [
  Answers<import('@gridline/domain').DueHousehold, DueHousehold>,
  Answers<import('@gridline/domain').VisitView, VisitView>,
  Answers<import('@gridline/domain').VisitHousehold, VisitHousehold>,
  Answers<NewVisit, import('@gridline/domain').VisitBody>,
] = [true, true, true, true];
void answersMatch;
