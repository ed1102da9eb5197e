import { AppError } from '../errors';
import type { Boundary, Community, OrgStatus } from './api';
import type { OrgKind } from '../rules';

/**
 * The org chart's rules (communities, grids, courtyards), as pure functions: each takes the record the
 * caller read and either refuses (an AppError) or returns the change to commit, described plainly —
 * which record is created or which fields change at which version, which records must exist and be
 * active when it commits, the history event, and the town counter it moves. `@gridline/data`
 * (org/changes) turns a plan into items, keys and one transaction; nothing here reads or writes storage.
 *
 * Nothing is ever deleted: retiring a record keeps its id, so everything filed under it stays findable.
 */

/** A stored org record as the rules see it: its fields, its version and its status. */
export type OrgRecord = { version: number; status?: OrgStatus; [field: string]: unknown };
/** A record the change needs to exist when it commits: an active org record, or a staff member of any status. */
export type OrgRequirement =
  | { kind: OrgKind; id: string }
  | { kind: 'staff'; username: string }
  /**
   * The community's team coverage as read (`version` undefined: none yet), so an appointment committed
   * meanwhile makes the change fail rather than leave someone appointed to a retired or moved grid.
   */
  | { kind: 'coverage'; communityId: string; version: number | undefined };

/** What one change of the org chart commits. `none` when what the caller asked for already holds. */
export type OrgChangePlan<R = OrgRecord> =
  | { kind: 'none'; result: R }
  | (OrgWrite<R> & { kind: 'create' })
  | (OrgWrite<R> & { kind: 'update'; version: number });

/** The parts of a plan that writes. */
type OrgWrite<R> = {
  record: { kind: OrgKind; id: string };
  /** For `create`, the whole record; for `update`, the fields set (at `version`). */
  fields: Record<string, unknown>;
  requires: OrgRequirement[];
  /** The history event and the audit entry: the action and what it changed. */
  event: { action: string; before?: Record<string, unknown>; after?: Record<string, unknown> };
  /** How the town's count of this kind of record moves (+1 created, -1 retired). */
  count?: 1 | -1;
  /** The record as it reads after the change. */
  result: R;
};

/** The town counter of each kind, and the prefix of its ids. */
export const ORG_COUNTER: Record<OrgKind, 'communities' | 'grids' | 'courtyards'> = {
  community: 'communities',
  grid: 'grids',
  courtyard: 'courtyards',
};
const ID_PREFIX: Record<OrgKind, string> = { community: 'c', grid: 'g', courtyard: 'y' };

/** The id of a new record of this kind, from a unique part (a fresh sortable id). */
export function orgRecordId(kind: OrgKind, unique: string): string {
  return `${ID_PREFIX[kind]}-${unique.toLowerCase()}`;
}

/** Refuses a record that was not found in this town. */
export function checkOrgFound<T>(kind: OrgKind, record: T | undefined): T {
  if (!record) throw new AppError(`${kind}.not_found`, 404, `No such ${kind} in this town.`);
  return record;
}

/** Refuses any change to a retired record. */
export function checkNotRetired(kind: OrgKind, record: OrgRecord): void {
  if (record.status === 'retired') throw new AppError(`${kind}.retired`, 409, `This ${kind} is retired and cannot change.`);
}

type NewRecord<K extends OrgKind> = K extends 'community'
  ? { name: string; kind: Community['kind'] }
  : K extends 'grid'
    ? { communityId: string; name: string; code: string; boundary?: Boundary | undefined }
    : { gridId: string; name: string };

/** The parent a new or moved record must point at: a grid's community, a courtyard's grid. */
const parentOf = (kind: OrgKind, fields: Record<string, unknown>): OrgRequirement[] =>
  kind === 'grid'
    ? [{ kind: 'community', id: String(fields.communityId) }]
    : kind === 'courtyard'
      ? [{ kind: 'grid', id: String(fields.gridId) }]
      : [];

/** A new record: active, at version 1, under a parent that exists and is active; the town's count grows by one. */
export function planCreate<K extends OrgKind>(kind: K, fields: NewRecord<K>, id: string, now: string) {
  const result = { ...fields, [`${kind}Id`]: id, status: 'active' as const, createdAt: now, version: 1 };
  return {
    kind: 'create',
    record: { kind, id },
    fields: result,
    requires: parentOf(kind, fields),
    event: { action: `${kind}.create`, after: { ...fields } },
    count: 1,
    result,
  } satisfies OrgChangePlan<typeof result>;
}

/**
 * Fields of a record changed at the version the caller read. A retired record cannot change. The
 * event keeps each changed field's value before (null when it had none) and after.
 */
export function planUpdate(
  kind: OrgKind,
  id: string,
  current: OrgRecord,
  version: number,
  set: Record<string, unknown>,
  action: string,
  now: string,
  requires: OrgRequirement[] = [],
): OrgChangePlan {
  checkNotRetired(kind, current);
  const before = Object.fromEntries(Object.keys(set).map((f) => [f, current[f] ?? null]));
  return {
    kind: 'update',
    record: { kind, id },
    fields: { ...set, updatedAt: now },
    version,
    requires,
    event: { action, before, after: set },
    result: { ...current, ...set, updatedAt: now, version: version + 1 },
  };
}

/** Renaming a community or a courtyard. */
export const planRename = (kind: 'community' | 'courtyard', id: string, current: OrgRecord, version: number, name: string, now: string) =>
  planUpdate(kind, id, current, version, { name }, `${kind}.rename`, now);

/** A grid's name, code or boundary (a null boundary removes it); fields left undefined keep their value. */
export function planGridChange(
  id: string,
  current: OrgRecord,
  version: number,
  change: { name?: string | undefined; code?: string | undefined; boundary?: Boundary | null | undefined },
  now: string,
): OrgChangePlan {
  const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  return planUpdate('grid', id, current, version, set, 'grid.change', now);
}

/** Moving a grid to another community, which must exist and be active when the move commits. */
export const planGridMove = (id: string, current: OrgRecord, version: number, communityId: string, now: string) =>
  planUpdate('grid', id, current, version, { communityId }, 'grid.move', now, [{ kind: 'community', id: communityId }]);

/** Moving a courtyard to another grid, which must exist and be active when the move commits. */
export const planCourtyardMove = (id: string, current: OrgRecord, version: number, gridId: string, now: string) =>
  planUpdate('courtyard', id, current, version, { gridId }, 'courtyard.move', now, [{ kind: 'grid', id: gridId }]);

/**
 * Retiring a record: it leaves the active chart and the town's count, and keeps everything filed under
 * it. Retiring a retired record changes nothing (a retry answers as the first call did).
 */
export function planRetire(kind: OrgKind, id: string, current: OrgRecord, version: number, now: string): OrgChangePlan {
  if (current.status === 'retired') return { kind: 'none', result: current };
  return {
    kind: 'update',
    record: { kind, id },
    fields: { status: 'retired', retiredAt: now },
    version,
    requires: [],
    event: { action: `${kind}.retire`, before: { status: current.status ?? 'active' }, after: { status: 'retired' } },
    count: -1,
    result: { ...current, status: 'retired', retiredAt: now, version: version + 1 },
  };
}

/** What naming a grid's coordinator decides: the change, who must hold the grid in their scope, who must not. */
export type CoordinatorPlan = { plan: OrgChangePlan; holder: string; former: string[] };

/**
 * Names the grid's one responsible coordinator (定人): a grid coordinator on the town's staff. Naming the
 * one already named changes nothing and skips the version check (what the caller asked for already
 * holds), so a retry after the sign-in directory failed answers as the first call did. The replaced
 * coordinator is kept on the grid (`formerCoordinatorUserId`). `former` lists who must no longer hold
 * the grid: the replaced coordinator and, when it changes, the one replaced before (in case their
 * removal was never completed).
 */
export function planCoordinator(
  gridId: string,
  grid: OrgRecord,
  staff: { role?: unknown } | undefined,
  username: string,
  version: number,
  now: string,
): CoordinatorPlan {
  checkNotRetired('grid', grid);
  if (!staff) throw new AppError('staff.not_found', 404, 'No such staff member in this town.', { field: 'body.username' });
  if (staff.role !== 'grid_coordinator')
    throw new AppError('staff.not_coordinator', 422, 'Only a grid coordinator of this town can be named.', { field: 'body.username' });
  const others = (...users: unknown[]) => users.filter((u): u is string => typeof u === 'string' && u !== username);
  if (grid.coordinatorUserId === username)
    return { plan: { kind: 'none', result: grid }, holder: username, former: others(grid.formerCoordinatorUserId) };
  const set: Record<string, unknown> = { coordinatorUserId: username };
  if (grid.coordinatorUserId) set.formerCoordinatorUserId = grid.coordinatorUserId;
  return {
    plan: planUpdate('grid', gridId, grid, version, set, 'grid.coordinator', now, [{ kind: 'staff', username }]),
    holder: username,
    former: others(grid.coordinatorUserId, grid.formerCoordinatorUserId),
  };
}
