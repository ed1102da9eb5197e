/** The shapes the API answers with, as the web app reads them (see functions/src/routes.ts). */

export const ROLES = ['county_admin', 'town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type TownRole = Exclude<Role, 'county_admin'>;

export const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);
export const isCountyRole = (r: Role) => r === 'county_admin';
export const isTownRole = (r: Role): r is TownRole => r !== 'county_admin';
/** Who may read the staff list (it holds staff names). */
export const canSeeStaff = (r: Role) => r === 'town_admin' || r === 'auditor';
/** Who may read the population book (PEOPLE_READ in functions/src/routes.ts). */
export const canReadPeople = (r: Role) => r === 'town_admin' || r === 'community_staff' || r === 'grid_coordinator' || r === 'auditor';
/** Who may change it and reveal an ID or phone (PEOPLE_WRITE). */
export const canWritePeople = (r: Role) => r === 'town_admin' || r === 'community_staff' || r === 'grid_coordinator';

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
  user: { username: string; role: TownRole; scope: { communities: string[]; grids: string[]; permissions?: string[] } };
  town: { townId: string; name: string; kind: TownKind; status: TownStatus };
};

export type OrgStatus = 'active' | 'retired';
type Position = [number, number];
/** A grid boundary as GeoJSON (a Polygon or a MultiPolygon of [lng, lat] rings). */
export type Boundary = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Courtyard = { courtyardId: string; name: string; status?: OrgStatus; version?: number };
export type Grid = {
  gridId: string;
  name: string;
  code: string;
  status?: OrgStatus;
  boundary?: Boundary;
  coordinatorUserId?: string;
  courtyards: Courtyard[];
  version?: number;
};
export type Community = {
  communityId: string;
  name: string;
  kind: 'community' | 'village';
  status?: OrgStatus;
  version?: number;
  grids: Grid[];
};
/** One change to a community, grid or courtyard, from GET /town/org/{kind}/{id}/history. */
export type OrgEvent = { eventId: string; action: string; actor: string; at: string };
export type OrgKind = 'community' | 'grid' | 'courtyard';
export type Hierarchy = { communities: Community[] };

export type TownCounters = { communities?: number; grids?: number; courtyards?: number; staff?: number };

export type Label = { zh: string; en: string };
export type TagDef = { id: string; label: Label };
export type TownConfig = { posts: TagDef[]; specialGroups?: TagDef[]; keyGroups?: TagDef[] };

export type Staff = {
  username: string;
  displayName: string;
  role: TownRole;
  communityIds: string[];
  gridIds: string[];
  posts: string[];
};

// The population book (packages/domain/src/people.ts). ID numbers and phones only ever arrive masked.

export const RESIDENCE_TYPES = ['registered', 'permanent', 'floating'] as const;
export type ResidenceType = (typeof RESIDENCE_TYPES)[number];
export type Gender = 'male' | 'female';

export type Floating = {
  arrivalDate: string;
  origin?: string;
  reason?: string;
  permitNo?: string;
  expectedDeparture?: string;
  /** The landlord household (房东户), named with its grid. */
  landlordHouseholdId?: string;
  landlordGridId?: string;
};

export type Household = {
  householdId: string;
  gridId: string;
  communityId: string;
  courtyardId?: string;
  code?: string;
  door: string;
  members: number;
  status: 'active' | 'closed';
  closedReason?: HouseholdCloseReason;
  closedOn?: string;
  closedNote?: string;
  version: number;
};

export const HOUSEHOLD_CLOSE_REASONS = ['dissolved', 'moved_away', 'merged', 'other'] as const;
export type HouseholdCloseReason = (typeof HOUSEHOLD_CLOSE_REASONS)[number];

export type Person = {
  personId: string;
  householdId: string;
  gridId: string;
  communityId: string;
  courtyardId?: string;
  name: string;
  gender: Gender;
  ethnicity?: string;
  birthDate: string;
  idMasked: string;
  phoneMasked?: string;
  relation: string;
  residenceType: ResidenceType;
  tags: string[];
  /** Present only for callers with the key-group permission. */
  keyTags?: string[];
  floating?: Floating;
  status: 'active' | 'closed';
  closedReason?: CloseReason;
  note?: string;
  version: number;
};

export type HouseholdCard = { household: Household; members: Person[] };

export const MOVE_KINDS = ['arrival', 'departure', 'within_town', 'to_household'] as const;
export type MoveKind = (typeof MOVE_KINDS)[number];
export const CLOSE_REASONS = ['died', 'moved_away'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export type PersonEvent = {
  kind: string;
  on?: string;
  at: string;
  actor: string;
  from?: unknown;
  to?: unknown;
  note?: string;
  /** For a change: which fields it touched. */
  fields?: string[];
};
export type PersonDetail = { person: Person; events: PersonEvent[] };

export type RevealField = 'idNumber' | 'phone';

export type SearchBy = 'idNumber' | 'name' | 'tag' | 'residenceType';
export type PeopleQuery =
  | { by: 'idNumber'; idNumber: string }
  | { by: 'name'; prefix: string }
  | { by: 'tag'; tag: string }
  | { by: 'residenceType'; residenceType: ResidenceType };

/** Counts for the population map: never a person, only how many. */
export type MapCounts = { households: number; people: number; floating: number; special: number };
export type MapCourtyard = MapCounts & { courtyardId: string; name: string };
export type MapGrid = MapCounts & {
  gridId: string;
  communityId: string;
  name: string;
  code: string;
  boundary?: Boundary | null;
  courtyards: MapCourtyard[];
};
export type TownMap = { grids: MapGrid[] };

// Importing and exporting the book (packages/data/src/imports.ts). Town admins only.

/** Who may import into the book and export it (TOWN_ADMIN_ONLY in functions/src/routes.ts). */
export const canTransferBook = (r: Role) => r === 'town_admin';

/** A finding about an uploaded book: a rejected row's reason, or (with no row) why the file cannot be used. */
export type ImportIssue = { row?: number; field?: string; code: string; message: Label };
export type ImportStats = {
  rows: number;
  accepted: number;
  rejected: number;
  households: number;
  create: number;
  update: number;
  unchanged: number;
  newHouseholds: number;
  newCourtyards: number;
};
export type ImportProgress = { total: number; done: number; created: number; updated: number; unchanged: number; failed: number };
export type ImportStatus = 'previewed' | 'queued' | 'running' | 'done' | 'failed' | 'abandoned';
export type ImportRecord = {
  importId: string;
  fileName: string;
  status: ImportStatus;
  stats: ImportStats;
  /** The first 200 row issues, in row order. */
  issues: ImportIssue[];
  /** Non-empty: the file cannot be imported at all. */
  fileErrors: ImportIssue[];
  progress?: ImportProgress;
  by: string;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  /** `import.attempts_exhausted` (stopped on every attempt) or `import.failed` (an error each time). */
  errorCode?: string;
  /** Runs started so far; more than one means it was resumed after its runner stopped. */
  attempts?: number;
  startedAt?: string;
  version: number;
};
/** One line of the town's imports (GET /town/imports), newest first. */
export type ImportSummary = Pick<
  ImportRecord,
  | 'importId'
  | 'fileName'
  | 'status'
  | 'stats'
  | 'progress'
  | 'by'
  | 'createdAt'
  | 'startedAt'
  | 'finishedAt'
  | 'error'
  | 'errorCode'
  | 'attempts'
>;
export type BookFileFormat = 'xlsx' | 'csv';
/** A file the API sends inline; its bytes never leave memory. */
export type InlineFile = { fileName: string; contentBase64: string };
export type BookExport = InlineFile & { people: number };

// County rollups (GET /admin/rollups…): counts only, never a person.

export type RollupKind = 'day' | 'month' | 'quarter';
/** A count as the county sees it: below town level, 1–4 shows as "<5" (none of those reach this page yet). */
export type RollupCell = number | '<5';
export type RollupMetric = { id: string; label: { zh: string; en: string }; sensitive: boolean };
export type RollupRow = {
  level: 'county' | 'town' | 'community' | 'grid' | 'courtyard';
  townId: string | null;
  name: string;
  status: 'ok' | 'failed';
  metrics: Record<string, RollupCell> | null;
  /** Against the previous period of the same kind; null when that period was not rolled up. */
  change: Record<string, RollupCell> | null;
  error?: string;
};
export type RollupView = {
  period: string;
  kind: RollupKind;
  previous: string;
  computedAt: string;
  complete: boolean;
  failed: Array<{ townId: string; error: string }>;
  metrics: RollupMetric[];
  county: RollupRow;
  towns: RollupRow[];
};
export type RollupTrendPoint = { period: string; county: number | null; towns: Record<string, number | null> };
export type RollupTrend = { metric: string; kind: RollupKind; points: RollupTrendPoint[] };
export type RollupRunResult = {
  period: string;
  kind: RollupKind;
  towns: number;
  ok: string[];
  failed: Array<{ townId: string; error: string }>;
  files: string[];
};
