import { AppError, defaultTownConfig, sameTownSpec, type Town, type TownSpec, type TownStatus } from '@gridline/domain';
import { auditEntry } from '../audit';
import { platformKeys, townKeys } from '../keys';
import { commitChange, getItem, type Item, type Page, publicFields, queryPage, type Write } from '../ops';
import { actingForTown } from '../scope';

type TownItem = Town & { pk: string; sk: string };

const toTown = (item: Item): Town => publicFields<Town>(item);
const specOf = (t: Town): TownSpec => ({
  name: t.name,
  kind: t.kind,
  admin: t.admin,
  ...(t.nameEn ? { nameEn: t.nameEn } : {}),
});

/** The registry entry of a town, or undefined. */
export async function findTown(townId: string): Promise<Town | undefined> {
  const item = await getItem<TownItem>(platformKeys.town(townId), { consistent: true });
  return item ? toTown(item) : undefined;
}

export async function getTown(townId: string): Promise<Town> {
  const town = await findTown(townId);
  if (!town) throw new AppError('town.not_found', 404, 'No such town.');
  return town;
}

export async function listTowns(limit: number, cursor: string | undefined): Promise<Page<Town>> {
  const page = await queryPage<Item>({ pk: platformKeys.townsPk, skPrefix: 'TOWN#', limit, cursor, listing: 'towns' });
  return { items: page.items.map(toTown), nextCursor: page.nextCursor };
}

/**
 * Provisions a town: registry entry, the town's own status item, its configuration defaults and its
 * first admin's staff record, with audit entries and counters, in one transaction. The same spec again
 * returns the existing town; a different spec for an existing town is a 409.
 */
export async function provisionTown(
  townId: string,
  spec: TownSpec,
  actor: string,
  now: string,
  /** The registry entry if the caller has just read it (saves a second consistent read); null if absent. */
  known?: Town | null,
): Promise<{ town: Town; created: boolean }> {
  const existing = known === undefined ? await findTown(townId) : (known ?? undefined);
  if (existing) return { town: replayOrConflict(existing, spec), created: false };

  const town: Town = {
    townId,
    name: spec.name,
    ...(spec.nameEn ? { nameEn: spec.nameEn } : {}),
    kind: spec.kind,
    status: 'active',
    admin: spec.admin,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const tk = townKeys(townId);
  const config = defaultTownConfig();
  const writes: Write[] = [
    {
      kind: 'create',
      item: { ...platformKeys.town(townId), type: 'Town', ...town },
      conflictCode: 'town.exists',
    },
    { kind: 'create', item: { ...tk.meta(), type: 'TownMeta', townId, name: town.name, kind: town.kind, status: 'active' } },
    ...Object.entries(config).map(
      ([part, value]): Write => ({
        kind: 'create',
        item: { ...tk.config(part), type: 'Config', part, value },
      }),
    ),
    {
      kind: 'create',
      item: {
        ...tk.staff(spec.admin.username),
        type: 'Staff',
        username: spec.admin.username,
        displayName: spec.admin.displayName,
        role: 'town_admin',
        communityIds: [],
        gridIds: [],
        posts: [],
        status: 'active',
        createdAt: now,
      },
    },
  ];
  try {
    await actingForTown(tk.prefix, () =>
      commitChange({
        writes,
        audit: [
          auditEntry(platformKeys.audit, { actor, action: 'town.provision', target: townId, at: now, details: { spec } }),
          auditEntry(tk.audit, { actor, action: 'town.provision', target: townId, at: now }),
        ],
        counters: [
          { key: platformKeys.counters(), deltas: { towns: 1, townsActive: 1 } },
          { key: tk.counters('TOWN'), deltas: { staff: 1 } },
        ],
      }),
    );
  } catch (e) {
    // Lost a race with an identical request: the winner's town is the answer (or a conflict).
    if (e instanceof AppError && e.status === 409) return { town: replayOrConflict(await getTown(townId), spec), created: false };
    throw e;
  }
  return { town, created: true };
}

function replayOrConflict(existing: Town, spec: TownSpec): Town {
  if (!sameTownSpec(specOf(existing), spec))
    throw new AppError('town.conflict', 409, 'A town with this id exists with a different specification.');
  return existing;
}

/** Suspends or resumes a town; setting the status it already has changes nothing. */
export async function setTownStatus(townId: string, status: TownStatus, actor: string, now: string): Promise<Town> {
  const town = await getTown(townId);
  if (town.status === status) return town;
  const tk = townKeys(townId);
  const action = status === 'suspended' ? 'town.suspend' : 'town.resume';
  const delta = status === 'suspended' ? -1 : 1;
  await actingForTown(tk.prefix, () =>
    commitChange({
      writes: [
        { kind: 'update', key: platformKeys.town(townId), set: { status, updatedAt: now }, version: town.version },
        // The registry entry is the record of truth (checked at its version); the town's copy follows it.
        { kind: 'patch', key: tk.meta(), set: { status } },
      ],
      audit: [
        auditEntry(platformKeys.audit, { actor, action, target: townId, at: now }),
        auditEntry(tk.audit, { actor, action, target: townId, at: now }),
      ],
      counters: [{ key: platformKeys.counters(), deltas: { townsActive: delta } }],
    }),
  );
  return { ...town, status, updatedAt: now, version: town.version + 1 };
}

/** How many towns the county has, active and suspended, from the county counter (one read, no listing). */
export async function countTowns(): Promise<{ towns: number; active: number; suspended: number }> {
  const item = await getItem<Item>(platformKeys.counters());
  const c = item ? publicFields<{ towns?: number; townsActive?: number }>(item) : {};
  const towns = c.towns ?? 0;
  const active = c.townsActive ?? 0;
  return { towns, active, suspended: towns - active };
}

/** Keeps the latest tenant summary (a job's report) where the county console reads it. */
export async function saveTenantSummary(summary: Item): Promise<void> {
  await commitChange({ writes: [{ kind: 'put', item: { ...platformKeys.tenantSummary(), type: 'Report', ...summary } }], audit: [] });
}
