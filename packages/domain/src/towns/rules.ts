import type { Town } from './api';
import { defaultTownConfig, type TownConfig } from '../defaults';
import { AppError } from '../errors';
import { sameTownSpec, type TownSpec, type TownStatus } from './api';

/**
 * The county's rules for its registry of towns, as pure functions: each takes the registry entry the
 * caller read and either refuses (an AppError) or returns the change to commit — the registry entry,
 * the town's own copy of its status, its first configuration and admin, the audit action and how the
 * county's counters move. `@gridline/data` (towns/changes) turns a plan into items and one transaction.
 *
 * A town is provisioned once (the same spec again is a replay, a different one a conflict), then
 * moves between `active` and `suspended`; nothing removes it.
 */

/** The first staff record of a town: its admin. */
export type TownAdminRecord = {
  username: string;
  displayName: string;
  role: 'town_admin';
  communityIds: string[];
  gridIds: string[];
  posts: string[];
  status: 'active';
  createdAt: string;
};

export type TownProvisionPlan =
  | { kind: 'replay'; town: Town }
  | {
      kind: 'provision';
      town: Town;
      /** The town's own copy of what its users may know about it (its status is checked on every request). */
      meta: { townId: string; name: string; kind: Town['kind']; status: 'active' };
      config: TownConfig;
      admin: TownAdminRecord;
      audit: { action: 'town.provision'; details: { spec: TownSpec } };
      county: { towns: 1; townsActive: 1 };
      /** The first admin, and the posts in use of the catalogue (posts/: `posts_active`). */
      townCounts: { staff: 1; posts_active: number };
    };

export type TownStatusPlan =
  | { kind: 'none'; town: Town }
  | {
      kind: 'status';
      action: 'town.suspend' | 'town.resume';
      /** Set on the registry entry at `version`; the town's copy follows. */
      set: { status: TownStatus; updatedAt: string };
      version: number;
      /** How the county's count of active towns moves. */
      activeDelta: 1 | -1;
      town: Town;
    };

/** Refuses a town the registry does not hold. */
export function checkTownFound(town: Town | undefined): Town {
  if (!town) throw new AppError('town.not_found', 404, 'No such town.');
  return town;
}

/** A provisioning request for a town that exists: the same spec is a replay (answered with the town), any other a 409. */
export function checkReplay(existing: Town, spec: TownSpec): Town {
  const current: TownSpec = {
    name: existing.name,
    kind: existing.kind,
    admin: existing.admin,
    ...(existing.nameEn ? { nameEn: existing.nameEn } : {}),
  };
  if (!sameTownSpec(current, spec)) throw new AppError('town.conflict', 409, 'A town with this id exists with a different specification.');
  return existing;
}

/** Provisioning a town: active at version 1, with the default configuration and its admin on the staff. */
export function planProvision(townId: string, spec: TownSpec, existing: Town | undefined, now: string): TownProvisionPlan {
  if (existing) return { kind: 'replay', town: checkReplay(existing, spec) };
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
  const config = defaultTownConfig();
  return {
    kind: 'provision',
    town,
    meta: { townId, name: town.name, kind: town.kind, status: 'active' },
    config,
    admin: {
      username: spec.admin.username,
      displayName: spec.admin.displayName,
      role: 'town_admin',
      communityIds: [],
      gridIds: [],
      posts: [],
      status: 'active',
      createdAt: now,
    },
    audit: { action: 'town.provision', details: { spec } },
    county: { towns: 1, townsActive: 1 },
    townCounts: { staff: 1, posts_active: config.posts.length },
  };
}

/** Suspending or resuming a town; asking for the status it already has changes nothing. */
export function planTownStatus(town: Town, status: TownStatus, now: string): TownStatusPlan {
  if (town.status === status) return { kind: 'none', town };
  return {
    kind: 'status',
    action: status === 'suspended' ? 'town.suspend' : 'town.resume',
    set: { status, updatedAt: now },
    version: town.version,
    activeDelta: status === 'suspended' ? -1 : 1,
    town: { ...town, status, updatedAt: now, version: town.version + 1 },
  };
}

/** The county's towns by status, from its counter item (absent counts are zero). */
export function townCounts(c: { towns?: number; townsActive?: number }): { towns: number; active: number; suspended: number } {
  const towns = c.towns ?? 0;
  const active = c.townsActive ?? 0;
  return { towns, active, suspended: towns - active };
}
