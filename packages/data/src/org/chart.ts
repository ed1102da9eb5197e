import { AppError, type Boundary, type Community, type Courtyard, type Grid, newId, type OrgKind } from '@gridline/domain';
import { auditEntry } from '../audit';
import { type Key, townKeys } from '../keys';
import { type Change, commitChange, getItem, type Item, publicFields, queryPage, type Write } from '../ops';

export type OrgStatus = 'active' | 'retired';
type Versioned = { version: number; status?: OrgStatus };
export type OrgEvent = { eventId: string; action: string; actor: string; at: string; before?: Item; after?: Item };

const TYPE: Record<OrgKind, 'Community' | 'Grid' | 'Courtyard'> = { community: 'Community', grid: 'Grid', courtyard: 'Courtyard' };
const COUNTER: Record<OrgKind, string> = { community: 'communities', grid: 'grids', courtyard: 'courtyards' };
const PREFIX: Record<OrgKind, string> = { community: 'c', grid: 'g', courtyard: 'y' };

/**
 * Changes to one town's org chart (communities, grids, courtyards). Every change is one transaction:
 * the record, the records it must point at (checked to exist and not be retired), a history event of
 * the record, the town's audit entry and the counters it moves. Nothing is deleted: a retired record
 * keeps its id, so everything filed under it stays findable.
 */
export function orgOf(townId: string) {
  const k = townKeys(townId);
  const keyOf = (kind: OrgKind, id: string): Key =>
    kind === 'community' ? k.community(id) : kind === 'grid' ? k.grid(id) : k.courtyard(id);
  const notFound = (kind: OrgKind) => new AppError(`${kind}.not_found`, 404, `No such ${kind} in this town.`);
  const mustExist = (kind: OrgKind, id: string): Write => ({
    kind: 'check',
    key: keyOf(kind, id),
    code: `${kind}.not_found`,
    message: `No such ${kind} in this town (or it is retired).`,
  });

  async function load<T>(kind: OrgKind, id: string): Promise<T & Versioned> {
    const item = await getItem<Item>(keyOf(kind, id), { consistent: true });
    if (!item) throw notFound(kind);
    return publicFields<T & Versioned>(item);
  }

  function change(
    kind: OrgKind,
    id: string,
    action: string,
    actor: string,
    now: string,
    writes: Write[],
    extra: Partial<Change> & { before?: Item; after?: Item } = {},
  ): Change {
    const recordSk = keyOf(kind, id).sk;
    const eventId = newId(Date.parse(now));
    const event: OrgEvent = {
      eventId,
      action,
      actor,
      at: now,
      ...(extra.before ? { before: extra.before } : {}),
      ...(extra.after ? { after: extra.after } : {}),
    };
    return {
      writes: [...writes, { kind: 'put', item: { ...k.orgEvent(recordSk, now, eventId), type: 'OrgEvent', ...event } }],
      audit: [auditEntry(k.audit, { actor, action, target: recordSk, at: now })],
      ...(extra.counters ? { counters: extra.counters } : {}),
    };
  }

  async function create<T extends Item>(kind: OrgKind, record: T, parent: Write | undefined, actor: string, now: string): Promise<T> {
    const id = `${PREFIX[kind]}-${newId(Date.parse(now)).toLowerCase()}`;
    const idField = `${kind}Id`;
    const full = { ...record, [idField]: id, status: 'active' as const, createdAt: now, version: 1 };
    await commitChange(
      change(
        kind,
        id,
        `${kind}.create`,
        actor,
        now,
        [...(parent ? [parent] : []), { kind: 'create', item: { ...keyOf(kind, id), type: TYPE[kind], ...full } }],
        {
          after: record,
          counters: [{ key: k.counters('TOWN'), deltas: { [COUNTER[kind]]: 1 } }],
        },
      ),
    );
    return full;
  }

  async function update(
    kind: OrgKind,
    id: string,
    version: number,
    set: Item,
    action: string,
    actor: string,
    now: string,
    also: Write[] = [],
    loaded?: Item & Versioned,
  ) {
    const current = loaded ?? (await load<Item>(kind, id));
    if (current.status === 'retired') throw new AppError(`${kind}.retired`, 409, `This ${kind} is retired and cannot change.`);
    const before = Object.fromEntries(Object.keys(set).map((f) => [f, current[f] ?? null]));
    await commitChange(
      change(kind, id, action, actor, now, [{ kind: 'update', key: keyOf(kind, id), set: { ...set, updatedAt: now }, version }, ...also], {
        before,
        after: set,
      }),
    );
    return { ...current, ...set, updatedAt: now, version: version + 1 };
  }

  return {
    createCommunity: (c: { name: string; kind: Community['kind'] }, actor: string, now: string) =>
      create('community', c, undefined, actor, now),
    createGrid: (g: { communityId: string; name: string; code: string; boundary?: Boundary | undefined }, actor: string, now: string) =>
      create('grid', g, mustExist('community', g.communityId), actor, now),
    createCourtyard: (y: { gridId: string; name: string }, actor: string, now: string) =>
      create('courtyard', y, mustExist('grid', y.gridId), actor, now),

    renameCommunity: (id: string, version: number, name: string, actor: string, now: string) =>
      update('community', id, version, { name }, 'community.rename', actor, now),
    changeGrid: (
      id: string,
      version: number,
      set: { name?: string | undefined; code?: string | undefined; boundary?: Boundary | null | undefined },
      actor: string,
      now: string,
    ) => update('grid', id, version, Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)), 'grid.change', actor, now),
    renameCourtyard: (id: string, version: number, name: string, actor: string, now: string) =>
      update('courtyard', id, version, { name }, 'courtyard.rename', actor, now),
    moveGrid: (id: string, version: number, communityId: string, actor: string, now: string) =>
      update('grid', id, version, { communityId }, 'grid.move', actor, now, [mustExist('community', communityId)]),
    moveCourtyard: (id: string, version: number, gridId: string, actor: string, now: string) =>
      update('courtyard', id, version, { gridId }, 'courtyard.move', actor, now, [mustExist('grid', gridId)]),
    /**
     * Names the grid's one responsible coordinator (定人): a grid coordinator on the town's staff.
     * Naming the one already named writes nothing and skips the version check (what the caller asked
     * for already holds), so a retry after the sign-in directory failed answers as the first call did.
     * The replaced coordinator is kept on the grid (`formerCoordinatorUserId`). Returns the grid, who
     * must now hold it in their scope claim, and who must not: the replaced coordinator and, when it
     * changes, the one replaced before (in case their removal was never completed).
     */
    async assignCoordinator(gridId: string, version: number, username: string, actor: string, now: string) {
      const current = await load<Grid>('grid', gridId);
      if (current.status === 'retired') throw new AppError('grid.retired', 409, 'This grid is retired and cannot change.');
      const staff = await getItem<Item>(k.staff(username), { consistent: true });
      if (!staff) throw new AppError('staff.not_found', 404, 'No such staff member in this town.', { field: 'body.username' });
      if (staff.role !== 'grid_coordinator')
        throw new AppError('staff.not_coordinator', 422, 'Only a grid coordinator of this town can be named.', { field: 'body.username' });
      const former = (g: { coordinatorUserId?: unknown; formerCoordinatorUserId?: unknown }) =>
        [g.coordinatorUserId, g.formerCoordinatorUserId].filter((u): u is string => typeof u === 'string' && u !== username);
      if (current.coordinatorUserId === username)
        return { grid: current, holder: username, former: former({ formerCoordinatorUserId: current.formerCoordinatorUserId }) };
      const set: Item = { coordinatorUserId: username };
      if (current.coordinatorUserId) set.formerCoordinatorUserId = current.coordinatorUserId;
      const grid = await update(
        'grid',
        gridId,
        version,
        set,
        'grid.coordinator',
        actor,
        now,
        [
          {
            kind: 'check',
            key: k.staff(username),
            code: 'staff.not_found',
            message: 'No such staff member in this town.',
            anyStatus: true,
          },
        ],
        current,
      );
      return { grid, holder: username, former: former(current) };
    },

    /** Retires a record: it leaves the active chart and the counters, and keeps everything filed under it. */
    async retire(kind: OrgKind, id: string, version: number, actor: string, now: string) {
      const current = await load<Item>(kind, id);
      if (current.status === 'retired') return current;
      await commitChange(
        change(
          kind,
          id,
          `${kind}.retire`,
          actor,
          now,
          [{ kind: 'update', key: keyOf(kind, id), set: { status: 'retired', retiredAt: now }, version }],
          {
            before: { status: current.status ?? 'active' },
            after: { status: 'retired' },
            counters: [{ key: k.counters('TOWN'), deltas: { [COUNTER[kind]]: -1 } }],
          },
        ),
      );
      return { ...current, status: 'retired', retiredAt: now, version: version + 1 };
    },

    /** The record's history, oldest first, a page at a time; 404 if the record is not this town's. */
    async history(kind: OrgKind, id: string, limit: number, cursor: string | undefined) {
      await load(kind, id);
      const page = await queryPage<Item>({ pk: k.orgHistoryPk(keyOf(kind, id).sk), limit, cursor, listing: `history:${kind}:${id}` });
      return { items: page.items.map((i) => publicFields<OrgEvent>(i)), nextCursor: page.nextCursor };
    },
  };
}

export type { Community, Courtyard, Grid };
