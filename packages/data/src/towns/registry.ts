import {
  AppError,
  checkReplay,
  checkTownFound,
  planProvision,
  planTownStatus,
  type Town,
  type TownSpec,
  type TownStatus,
  townCounts,
} from '@gridline/domain';
import { platformKeys, townPrefix } from '../keys';
import { commitChange, getItem, type Item, type Page, publicFields, queryPage } from '../ops';
import { actingForTown } from '../scope';
import { townChanges } from './changes';

type TownItem = Town & { pk: string; sk: string };

const toTown = (item: Item): Town => publicFields<Town>(item);

/** The registry entry of a town, or undefined. */
export async function findTown(townId: string): Promise<Town | undefined> {
  const item = await getItem<TownItem>(platformKeys.town(townId), { consistent: true });
  return item ? toTown(item) : undefined;
}

export async function getTown(townId: string): Promise<Town> {
  return checkTownFound(await findTown(townId));
}

export async function listTowns(limit: number, cursor: string | undefined): Promise<Page<Town>> {
  const page = await queryPage<Item>({ pk: platformKeys.townsPk, skPrefix: 'TOWN#', limit, cursor, listing: 'towns' });
  return { items: page.items.map(toTown), nextCursor: page.nextCursor };
}

/**
 * Provisions a town: registry entry, the town's own status item, its configuration defaults and its
 * first admin's staff record, with audit entries and counters, in one transaction (`planProvision`
 * decides). The same spec again returns the existing town; a different spec for an existing town is a 409.
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
  const plan = planProvision(townId, spec, existing, now);
  // A new town starts with the national years county IT has entered (decision 88).
  // Loaded here only: the calendar's module stays out of every function's cold start.
  const calendars = plan.kind === 'replay' ? [] : await (await import('../calendar')).calendarCopiesFor(townId);
  const change = townChanges(townId, actor).provision(plan, now, calendars);
  if (!change) return { town: plan.town, created: false };
  try {
    await actingForTown(townPrefix(townId), () => commitChange(change));
  } catch (e) {
    // Lost a race with an identical request: the winner's town is the answer (or a conflict).
    if (e instanceof AppError && e.status === 409) return { town: checkReplay(await getTown(townId), spec), created: false };
    throw e;
  }
  return { town: plan.town, created: true };
}

/** Suspends or resumes a town; setting the status it already has changes nothing. */
export async function setTownStatus(townId: string, status: TownStatus, actor: string, now: string): Promise<Town> {
  const plan = planTownStatus(await getTown(townId), status, now);
  const change = townChanges(townId, actor).status(plan, now);
  if (change) await actingForTown(townPrefix(townId), () => commitChange(change));
  return plan.town;
}

/** How many towns the county has, active and suspended, from the county counter (one read, no listing). */
export async function countTowns(): Promise<{ towns: number; active: number; suspended: number }> {
  const item = await getItem<Item>(platformKeys.counters());
  return townCounts(item ? publicFields<{ towns?: number; townsActive?: number }>(item) : {});
}

/** Keeps the latest tenant summary (a job's report) where the county console reads it. */
export async function saveTenantSummary(summary: Item): Promise<void> {
  await commitChange({ writes: [{ kind: 'put', item: { ...platformKeys.tenantSummary(), type: 'Report', ...summary } }], audit: [] });
}
