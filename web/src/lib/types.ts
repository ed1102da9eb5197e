/** The shapes the API answers with, as the web app reads them (see functions/src/routes.ts). */

export const ROLES = ['county_admin', 'town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type TownRole = Exclude<Role, 'county_admin'>;

export const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);
export const isCountyRole = (r: Role) => r === 'county_admin';
export const isTownRole = (r: Role): r is TownRole => r !== 'county_admin';
/** Who may read the staff list (it holds staff names). */
export const canSeeStaff = (r: Role) => r === 'town_admin' || r === 'auditor';

export type TownKind = 'town' | 'subdistrict';
export type TownStatus = 'active' | 'suspended';

export type Town = {
  townId: string;
  name: string;
  nameEn?: string;
  kind: TownKind;
  status: TownStatus;
  admin: { username: string; displayName: string };
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type Page<T> = { items: T[]; nextCursor?: string | null };

export type CountySummary = { towns: number; active: number; suspended: number };

export type TownSpec = {
  name: string;
  nameEn?: string;
  kind: TownKind;
  admin: { username: string; displayName: string };
};

export type PutTownResult = { town: Town; initialCredentials?: { username: string; temporaryPassword: string } };

export type TownMe = {
  user: { username: string; role: TownRole; scope: { communities: string[]; grids: string[] } };
  town: { townId: string; name: string; kind: TownKind; status: TownStatus };
};

export type Courtyard = { courtyardId: string; name: string };
export type Grid = { gridId: string; name: string; code: string; coordinatorUserId?: string; courtyards: Courtyard[] };
export type Community = { communityId: string; name: string; kind: 'community' | 'village'; grids: Grid[] };
export type Hierarchy = { communities: Community[] };

export type TownCounters = { communities?: number; grids?: number; courtyards?: number; staff?: number };

export type Label = { zh: string; en: string };
export type TownConfig = { posts: Array<{ id: string; label: Label }> };

export type Staff = {
  username: string;
  displayName: string;
  role: TownRole;
  communityIds: string[];
  gridIds: string[];
  posts: string[];
};
