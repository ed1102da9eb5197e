import { AppError } from '../errors';
import type { HouseholdChange, HouseholdClose, HouseholdView, PersonView } from './api';
import { hasPermission, type TownPrincipal } from '../principal';
import { KEY_GROUPS_PERMISSION, type ResidenceType } from '../rules';

/**
 * The population book's rules, as pure functions: each takes the state the caller read and either
 * refuses (an AppError) or returns the change to commit, described plainly — which records change,
 * which events are recorded, which counters move. `@gridline/data` turns a plan into items, keys and
 * one transaction; nothing here reads or writes storage.
 */

/** Full ID numbers or phones one user may reveal in an hour. */
export const REVEALS_PER_HOUR = 20;

/** A person as the rules see one: every field of the view, key-group tags always present. */
export type BookPerson = Omit<PersonView, 'keyTags'> & { keyTags: string[] };
/** A household as the rules see one. */
export type BookHousehold = HouseholdView;

/** A counter item of the town: its totals, one grid, one courtyard or one month. */
export type CounterScope = 'TOWN' | `GRID#${string}` | `YARD#${string}` | `MONTH#${string}`;
/** Amounts added to the metrics of one counter item. */
export type CounterDelta = { scope: CounterScope; deltas: Record<string, number> };
/** An entry of a person's history; `after` orders it right after the event of that kind at the same instant. */
export type PlannedEvent = { kind: string; on: string; after?: 'created'; [detail: string]: unknown };
/** A household whose member count moves by one: `version`, when given, is the one the caller read. */
export type MemberMove = { gridId: string; householdId: string; delta: 1 | -1; version?: number };

/** What one person's change commits: the record before and after, its history, counters and audit action. */
export type PersonPlan = {
  before?: BookPerson;
  after: BookPerson;
  events: PlannedEvent[];
  counters: CounterDelta[];
  members: MemberMove[];
  audit: { action: string; details?: Record<string, unknown> };
};

const bad = (code: string, message: string, field: string) => new AppError(code, 400, message, { field });
const day = (iso: string) => iso.slice(0, 10);
const month = (isoDay: string) => isoDay.slice(0, 7);

// ---------------------------------------------------------------------------------------------------
// Scope: who reaches which grid, and whom a search may show.

/** Refuses a grid coordinator a grid outside their scope claim (before anything is read). */
export function checkGridReach(principal: TownPrincipal, gridId: string): void {
  if (principal.role === 'grid_coordinator' && !principal.scope.grids.includes(gridId))
    throw new AppError('scope.grid', 403, 'This grid is not yours.');
}

/** Refuses a grid that is missing, or of a community outside the caller's (community staff). */
export function checkGridFound<G extends { communityId: string }>(principal: TownPrincipal, grid: G | undefined): G {
  if (!grid) throw new AppError('grid.not_found', 404, 'No such grid in this town.');
  if (principal.role === 'community_staff' && !principal.scope.communities.includes(grid.communityId))
    throw new AppError('scope.grid', 403, 'This grid is not in your community.');
  return grid;
}

/** Whether a search result may be shown: searches read the whole town, then keep what is in scope. */
export function visibleTo(principal: TownPrincipal, p: Pick<PersonView, 'gridId' | 'communityId'>): boolean {
  if (principal.role === 'grid_coordinator') return principal.scope.grids.includes(p.gridId);
  if (principal.role === 'community_staff') return principal.scope.communities.includes(p.communityId);
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Checks on what a person may be.

/** The declared gender must be the one the ID number encodes (GB 11643, 17th digit). */
export function checkGenderAgreement(idGender: 'male' | 'female', gender: 'male' | 'female'): void {
  if (idGender !== gender) throw bad('person.gender_mismatch', 'The gender does not match the ID number.', 'body.gender');
}

/** A floating person needs floating details with an arrival date. */
export function checkArrivalGiven(residenceType: ResidenceType, floating: PersonView['floating'] | undefined): void {
  if (residenceType === 'floating' && !floating)
    throw bad('person.arrival_required', 'A floating person needs an arrival date.', 'body.floating');
}

/** Whether the principal may see and set key-group tags. */
export const seesKeyGroups = (principal: TownPrincipal): boolean => hasPermission(principal, KEY_GROUPS_PERMISSION);

/** Changing key-group tags (to anything but what they are) needs the explicit permission. */
export function checkKeyTagChange(principal: TownPrincipal, next: string[] | undefined, current: string[] = []): void {
  if (next === undefined) return;
  const changes = next.length !== current.length || next.some((t) => !current.includes(t));
  if (changes && !seesKeyGroups(principal))
    throw new AppError('person.key_groups_forbidden', 403, 'Key-group tags need an explicit permission.');
}

/** The town's tag catalogue, as configured. */
export type TagCatalogue = { specialGroups: readonly string[]; keyGroups: readonly string[] };

/** Every tag must be in the town's catalogue: special groups in `tags`, key groups in `keyTags`. */
export function checkTagsKnown(catalogue: TagCatalogue, tags: readonly string[], keyTags: readonly string[]): void {
  const unknown = tags.find((t) => !catalogue.specialGroups.includes(t));
  if (unknown) throw bad('person.unknown_tag', `"${unknown}" is not one of this town's special groups.`, 'body.tags');
  const unknownKey = keyTags.find((t) => !catalogue.keyGroups.includes(t));
  if (unknownKey) throw bad('person.unknown_tag', `"${unknownKey}" is not one of this town's key groups.`, 'body.keyTags');
}

/** Searching by a key-group tag needs the permission; special-group tags are open to every reader of the book. */
export function checkTagSearch(principal: TownPrincipal, isSpecialGroup: boolean): void {
  if (!isSpecialGroup && !seesKeyGroups(principal))
    throw new AppError('person.key_groups_forbidden', 403, 'Key-group tags need an explicit permission.');
}

/**
 * The landlord household to check, when a floating person's reference changes; an unchanged one is
 * not checked again (the household may have closed since, and the person still lived there).
 */
export function landlordToCheck(
  next: PersonView['floating'] | null | undefined,
  current: PersonView['floating'] | undefined,
): { gridId: string; householdId: string } | undefined {
  const householdId = next?.landlordHouseholdId;
  const gridId = next?.landlordGridId;
  if (!householdId || !gridId) return undefined;
  if (householdId === current?.landlordHouseholdId && gridId === current?.landlordGridId) return undefined;
  return { gridId, householdId };
}

/** A landlord household must exist and be active. */
export function checkLandlordHome(home: Pick<HouseholdView, 'status'> | undefined): void {
  const field = 'body.floating.landlordHouseholdId';
  if (!home) throw new AppError('household.not_found', 404, 'No such landlord household in that grid.', { field });
  if (home.status !== 'active') throw new AppError('household.closed', 409, 'The landlord household is closed.', { field });
}

/** A household found and still active, or the refusal that fits. */
export function checkHouseholdOpen<H extends Pick<HouseholdView, 'status'>>(home: H | undefined, message = 'This household is closed.'): H {
  if (!home) throw new AppError('household.not_found', 404, 'No such household in this grid.');
  if (home.status !== 'active') throw new AppError('household.closed', 409, message);
  return home;
}

/** A record may change only while active and at the version the caller read. */
export function checkAtVersion(record: { status: string; version: number }, version: number, closedCode: string, closed: string): void {
  if (record.status !== 'active') throw new AppError(closedCode, 409, closed);
  if (record.version !== version)
    throw new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
}

// ---------------------------------------------------------------------------------------------------
// Counters: what a person or household counts for.

/** Counter moves for one person entering (+1) or leaving (-1) the counts of their town, grid and courtyard. */
export function personCounts(
  p: Pick<BookPerson, 'gridId' | 'courtyardId' | 'residenceType' | 'tags' | 'keyTags'>,
  sign: 1 | -1,
): CounterDelta[] {
  const byKind: Record<string, number> = { people: sign, [`res_${p.residenceType}`]: sign, ...(p.tags.length ? { special: sign } : {}) };
  for (const t of p.tags) byKind[`tag_${t}`] = sign;
  const keyGroups: Record<string, number> = {};
  for (const t of p.keyTags) keyGroups[`ktag_${t}`] = sign;
  return [
    // Key groups are counted for the town only (totals, never per grid).
    { scope: 'TOWN', deltas: { ...byKind, ...keyGroups } },
    { scope: `GRID#${p.gridId}`, deltas: byKind },
    ...(p.courtyardId ? [{ scope: `YARD#${p.courtyardId}` as const, deltas: byKind }] : []),
  ];
}

/** Counter moves for one household entering (+1) or leaving (-1) the household counts. */
export function householdCounts(h: Pick<HouseholdView, 'gridId' | 'courtyardId'>, sign: 1 | -1): CounterDelta[] {
  return [
    { scope: 'TOWN', deltas: { households: sign } },
    { scope: `GRID#${h.gridId}`, deltas: { households: sign } },
    ...(h.courtyardId ? [{ scope: `YARD#${h.courtyardId}` as const, deltas: { households: sign } }] : []),
  ];
}

const arrivals = (on: string): CounterDelta => ({ scope: `MONTH#${month(on)}`, deltas: { arrivals: 1 } });
const departures = (on: string): CounterDelta => ({ scope: `MONTH#${month(on)}`, deltas: { departures: 1 } });

// ---------------------------------------------------------------------------------------------------
// Person changes.

/**
 * Adding a person: a `created` event, the member count of the household (at the version read, when
 * given) and every count. A floating resident registered with an arrival date has arrived then: an
 * `arrival` event on that day and that month's arrivals counter (decision 25).
 */
export function planNewPerson(p: BookPerson, now: string, householdVersion?: number): PersonPlan {
  const arrived = p.residenceType === 'floating' ? p.floating?.arrivalDate : undefined;
  return {
    after: p,
    events: [
      { kind: 'created', on: day(now), to: { gridId: p.gridId, householdId: p.householdId } },
      ...(arrived ? [{ kind: 'arrival', on: arrived, after: 'created' as const }] : []),
    ],
    counters: [...personCounts(p, 1), ...(arrived ? [arrivals(arrived)] : [])],
    members: [
      { gridId: p.gridId, householdId: p.householdId, delta: 1, ...(householdVersion === undefined ? {} : { version: householdVersion }) },
    ],
    audit: { action: 'person.create' },
  };
}

/** The fields a correction changed (storage-only fields aside), in the order of the record. */
export function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return Object.keys(a).filter(
    (f) => !['version', 'updatedAt', 'idEnc', 'phoneEnc'].includes(f) && JSON.stringify(b[f]) !== JSON.stringify(a[f]),
  );
}

/** Correcting a person in place (same household): a `changed` event naming the fields, counts moved from before to after. */
export function planCorrection<P extends BookPerson>(before: P, after: P, now: string, details: Record<string, unknown> = {}): PersonPlan {
  const fields = changedFields(before, after);
  return {
    before,
    after,
    events: [{ kind: 'changed', on: day(now), fields, ...details }],
    counters: [...personCounts(before, -1), ...personCounts(after, 1)],
    members: [],
    audit: { action: 'person.change', details: { fields, ...details } },
  };
}

/** What a correction of a person may say; the phone is the storage's business (it is encrypted there). */
export type PersonCorrection = {
  name?: string | undefined;
  relation?: string | undefined;
  ethnicity?: string | undefined;
  residenceType?: ResidenceType | undefined;
  tags?: string[] | undefined;
  keyTags?: string[] | undefined;
  floating?: PersonView['floating'] | null | undefined;
  note?: string | null | undefined;
};

/** The record after a correction: named fields replaced, `null` clearing, the version bumped; refuses a floating person without arrival. */
export function correctedPerson<P extends BookPerson>(before: P, input: PersonCorrection): P {
  const after: P = {
    ...before,
    ...(input.name ? { name: input.name } : {}),
    ...(input.relation ? { relation: input.relation } : {}),
    ...(input.ethnicity ? { ethnicity: input.ethnicity } : {}),
    ...(input.residenceType ? { residenceType: input.residenceType } : {}),
    ...(input.tags ? { tags: [...new Set(input.tags)] } : {}),
    ...(input.keyTags ? { keyTags: [...new Set(input.keyTags)] } : {}),
    ...(input.note !== undefined ? { note: input.note ?? undefined } : {}),
    ...(input.floating !== undefined ? { floating: input.floating ?? undefined } : {}),
    version: before.version + 1,
  };
  checkArrivalGiven(after.residenceType, after.floating);
  return after;
}

/** A recorded arrival: the floating details take the date (and origin), an `arrival` event, that month's arrivals. */
export function planArrival<P extends BookPerson>(
  before: P,
  input: { on: string; origin?: string | undefined; note?: string | undefined },
): PersonPlan & { after: P } {
  const after: P = {
    ...before,
    floating: { ...(before.floating ?? {}), arrivalDate: input.on, ...(input.origin ? { origin: input.origin } : {}) },
    version: before.version + 1,
  };
  return {
    after,
    events: [{ kind: 'arrival', on: input.on, ...(input.note ? { note: input.note } : {}) }],
    counters: [arrivals(input.on)],
    members: [],
    audit: { action: 'person.arrival' },
  };
}

/** The household a move goes to, refused when missing or the one the person lives in already. */
export function moveTarget(
  from: { gridId: string; householdId: string },
  input: { toGridId?: string | undefined; toHouseholdId?: string | undefined },
): { gridId: string; householdId: string } {
  if (!input.toGridId || !input.toHouseholdId)
    throw bad('move.target_required', 'Name the household the person moves to.', 'body.toHouseholdId');
  if (input.toGridId === from.gridId && input.toHouseholdId === from.householdId)
    throw bad('move.same_household', 'The person already lives there.', 'body.toHouseholdId');
  return { gridId: input.toGridId, householdId: input.toHouseholdId };
}

/**
 * A move to another household (in the grid or another one): the record takes the target's grid,
 * community and courtyard, keeps its id and history; both households' member counts and every count follow.
 */
export function planMove<P extends BookPerson>(
  before: P,
  target: Pick<HouseholdView, 'gridId' | 'householdId' | 'communityId' | 'courtyardId' | 'version'>,
  input: { kind: 'within_town' | 'to_household'; on: string; note?: string | undefined },
): PersonPlan & { before: P; after: P } {
  const after: P = {
    ...before,
    gridId: target.gridId,
    householdId: target.householdId,
    communityId: target.communityId,
    ...(target.courtyardId ? { courtyardId: target.courtyardId } : {}),
    version: before.version + 1,
  };
  if (!target.courtyardId) delete after.courtyardId;
  return {
    before,
    after,
    events: [
      {
        kind: input.kind,
        on: input.on,
        from: { gridId: before.gridId, householdId: before.householdId },
        to: { gridId: after.gridId, householdId: after.householdId },
        ...(input.note ? { note: input.note } : {}),
      },
    ],
    counters: [...personCounts(before, -1), ...personCounts(after, 1)],
    members: [
      { gridId: before.gridId, householdId: before.householdId, delta: -1 },
      { gridId: after.gridId, householdId: after.householdId, delta: 1, version: target.version },
    ],
    audit: { action: `person.${input.kind}` },
  };
}

/**
 * Closing a record (death or moving away) keeps it, marked closed: it leaves its household's member
 * count and every count; a departure also counts in its month's departures.
 */
export function planClose<P extends BookPerson>(
  before: P,
  input: { reason: 'died' | 'moved_away'; on: string; note?: string | undefined },
  as: 'close' | 'departure',
): PersonPlan & { before: P; after: P } {
  if (before.status !== 'active') throw new AppError('person.closed', 409, 'This record is already closed.');
  const after: P = { ...before, status: 'closed', closedReason: input.reason, version: before.version + 1 };
  const departure = as === 'departure';
  return {
    before,
    after,
    events: [{ kind: departure ? 'departure' : `closed_${input.reason}`, on: input.on, ...(input.note ? { note: input.note } : {}) }],
    counters: [...personCounts(before, -1), ...(departure ? [departures(input.on)] : [])],
    members: [{ gridId: before.gridId, householdId: before.householdId, delta: -1 }],
    audit: { action: `person.${departure ? 'departure' : 'close'}`, details: { reason: input.reason } },
  };
}

// ---------------------------------------------------------------------------------------------------
// Household changes.

/** What correcting a household's address commits; `undefined` from the planner when nothing changes. */
export type HouseholdPlan<H extends BookHousehold, P extends BookPerson> = {
  after: H;
  fields: string[];
  /** The courtyard changes: the household's index entry and every active member follow. */
  courtyard?: { from?: string | undefined; to?: string | undefined };
  code?: { from?: string | undefined; to?: string | undefined };
  members: Array<{ before: P; after: P }>;
  counters: CounterDelta[];
  audit: { action: string; details: Record<string, unknown> };
};

/**
 * Correcting a household's courtyard, 户编号 and door (decision 23). A new courtyard (which must be
 * of the same grid) carries the active members along, each with their courtyard counts.
 * `members` are the household's records as read; `yard` the new courtyard when it changes.
 */
export function planHouseholdChange<H extends BookHousehold, P extends BookPerson>(
  before: H,
  input: HouseholdChange,
  members: readonly P[],
  yard?: { gridId: string; status?: string | undefined } | undefined,
): HouseholdPlan<H, P> | undefined {
  const courtyardId = input.courtyardId === undefined ? before.courtyardId : (input.courtyardId ?? undefined);
  const code = input.code === undefined ? before.code : (input.code ?? undefined);
  const door = input.door ?? before.door;
  const yardMoves = courtyardId !== before.courtyardId;
  const fields = [
    ...(yardMoves ? ['courtyardId'] : []),
    ...(code !== before.code ? ['code'] : []),
    ...(door !== before.door ? ['door'] : []),
  ];
  if (fields.length === 0) return undefined;
  if (yardMoves && courtyardId) {
    if (!yard || yard.status === 'retired')
      throw new AppError('courtyard.not_found', 404, 'No such courtyard in this town (or it is retired).', { field: 'body.courtyardId' });
    if (yard.gridId !== before.gridId)
      throw bad('household.courtyard_elsewhere', 'That courtyard belongs to another grid; move the people instead.', 'body.courtyardId');
  }
  const after: H = { ...before, ...(courtyardId ? { courtyardId } : {}), ...(code ? { code } : {}), door, version: before.version + 1 };
  if (!courtyardId) delete after.courtyardId;
  if (!code) delete after.code;
  const moving = yardMoves ? members.filter((p) => p.status === 'active') : [];
  const counters: CounterDelta[] = [];
  if (yardMoves) {
    if (before.courtyardId) counters.push({ scope: `YARD#${before.courtyardId}`, deltas: { households: -1 } });
    if (courtyardId) counters.push({ scope: `YARD#${courtyardId}`, deltas: { households: 1 } });
  }
  const moved = moving.map((p) => {
    const next: P = { ...p, ...(courtyardId ? { courtyardId } : {}), version: p.version + 1 };
    if (!courtyardId) delete next.courtyardId;
    // Town and grid counts cancel out; only the courtyards' change.
    counters.push(...personCounts(p, -1), ...personCounts(next, 1));
    return { before: p, after: next };
  });
  return {
    after,
    fields,
    ...(yardMoves ? { courtyard: { from: before.courtyardId, to: courtyardId } } : {}),
    ...(code !== before.code ? { code: { from: before.code, to: code } } : {}),
    members: moved,
    counters,
    audit: {
      action: 'household.change',
      details: {
        fields,
        ...(yardMoves ? { courtyard: { from: before.courtyardId ?? null, to: courtyardId ?? null }, members: moved.length } : {}),
      },
    },
  };
}

/**
 * Closing a household nobody lives in any more. The member count is maintained, but the records
 * decide too: a drifted count must not close a home people live in.
 */
export function planHouseholdClose<H extends BookHousehold>(
  before: H,
  activeMembers: number,
  input: HouseholdClose,
): { after: H; closing: Partial<HouseholdView>; counters: CounterDelta[]; audit: { action: string; details: Record<string, unknown> } } {
  if (activeMembers > 0 || before.members > 0) {
    const n = Math.max(activeMembers, before.members);
    throw new AppError(
      'household.has_members',
      409,
      `${n} ${n === 1 ? 'person still lives' : 'people still live'} in this household; close their records or move them to another household first.`,
    );
  }
  const closing = {
    status: 'closed' as const,
    closedReason: input.reason,
    closedOn: input.on,
    ...(input.note ? { closedNote: input.note } : {}),
  };
  return {
    after: { ...before, ...closing, version: before.version + 1 },
    closing,
    counters: householdCounts(before, -1),
    audit: { action: 'household.close', details: { reason: input.reason, on: input.on } },
  };
}
