/**
 * The part of the domain the browser runs as it is: role lists, who may do what, the vocabularies of
 * the book, the patterns of ids and (from ./fields) the rule of each field of the book. It imports
 * nothing but ./fields (no zod, no `node:`), so a page that needs a rule does not pay for the schemas;
 * `@gridline/domain/rules` is its entry point.
 */

export * from './fields';

export const COUNTY_ROLES = ['county_admin'] as const;
/**
 * A town's accounts: its staff, and `participant` — an outside participant of joint mediation (a judge, a
 * legal worker, the police officer) who reaches the cases they are invited to while the invitation lasts,
 * and nothing else (decision 160).
 */
export const TOWN_ROLES = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor', 'participant'] as const;
/** The town's own staff: every town role but the outside participant. */
export const TOWN_STAFF_ROLES = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator', 'auditor'] as const;
export const ROLES = [...COUNTY_ROLES, ...TOWN_ROLES] as const;
export type Role = (typeof ROLES)[number];
export type CountyRole = (typeof COUNTY_ROLES)[number];
export type TownRole = (typeof TOWN_ROLES)[number];

/** Whether a value (a token claim, say) names a role. */
export const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);
/** Whether a role is the county's. */
export const isCountyRole = (r: Role): r is CountyRole => (COUNTY_ROLES as readonly string[]).includes(r);
/** Whether a role belongs to a town. */
export const isTownRole = (r: Role): r is TownRole => (TOWN_ROLES as readonly string[]).includes(r);

// Who may do what: the route table's role lists, and the same lists as the questions the web asks.

/** Who reads the population book (mediators do not). */
export const PEOPLE_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'auditor'];
/** Who changes the book and may reveal an ID number or phone. */
export const PEOPLE_WRITE: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator'];
/** Who reads the staff list (it holds staff names). */
export const STAFF_READ: readonly TownRole[] = ['town_admin', 'auditor'];
/** Who changes the org chart, imports into the book and exports it. */
export const TOWN_ADMIN: readonly TownRole[] = ['town_admin'];
/** Who reads the team (协管员队伍): its list, records and coverage; town admins alone record its steps. */
export const TEAM_READ: readonly TownRole[] = ['town_admin', 'community_staff', 'auditor'];
/**
 * Who may reveal a team member's ID number or phone: the book's revealers (PEOPLE_WRITE) who also read
 * the team (TEAM_READ), i.e. town admins and community staff (decision 74).
 */
export const TEAM_REVEAL: readonly TownRole[] = PEOPLE_WRITE.filter((r) => TEAM_READ.includes(r));
/** Who reads "who to call" (the directory of coordinators and their phones): every staff role of the town. */
export const CONTACTS_READ: readonly TownRole[] = TOWN_STAFF_ROLES;
/** Who runs the county: provisioning, rollups. */
export const COUNTY_ADMIN: readonly CountyRole[] = ['county_admin'];

const allows = (list: readonly string[]) => (r: Role) => list.includes(r);
/** Whether the role reads the population book. */
export const canReadPeople = allows(PEOPLE_READ);
/** Whether the role changes the book and may reveal. */
export const canWritePeople = allows(PEOPLE_WRITE);
/** Whether the role reads the staff list. */
export const canSeeStaff = allows(STAFF_READ);
/** Whether the role imports into the book and exports it. */
export const canTransferBook = allows(TOWN_ADMIN);
/** Whether the role may reveal a team member's ID number or phone. */
export const canRevealTeam = allows(TEAM_REVEAL);
/** Whether the role changes the org chart. */
export const canChangeOrg = allows(TOWN_ADMIN);

/**
 * The explicit permission to see and set key-group tags (重点人群): granted in the scope claim as
 * `perm:key_groups`, never implied by a role.
 */
export const KEY_GROUPS_PERMISSION = 'key_groups';

// Vocabularies of the book.

export const RESIDENCE_TYPES = ['registered', 'permanent', 'floating'] as const;
export type ResidenceType = (typeof RESIDENCE_TYPES)[number];
export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];
export const MOVE_KINDS = ['arrival', 'departure', 'within_town', 'to_household'] as const;
export type MoveKind = (typeof MOVE_KINDS)[number];
export const CLOSE_REASONS = ['died', 'moved_away'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const HOUSEHOLD_CLOSE_REASONS = ['dissolved', 'moved_away', 'merged', 'other'] as const;
export type HouseholdCloseReason = (typeof HOUSEHOLD_CLOSE_REASONS)[number];
export const TOWN_KINDS = ['town', 'subdistrict'] as const;
export type TownKind = (typeof TOWN_KINDS)[number];
export const ORG_KINDS = ['community', 'grid', 'courtyard'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

// Id formats: they become parts of keys, so `#` and other separators can never appear.

/** Town ids: lower-case slugs of 3–32 characters starting with a letter. */
export const TOWN_ID_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
/** Ids of things inside a town (communities, grids, courtyards, users). */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Usernames as the identity provider keeps them. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/**
 * The fields of a population-book row, in the order of the canonical column layout (the book package
 * maps a file's columns to these; the import routes and the import page's mapping step offer them).
 */
export const BOOK_FIELDS = [
  'seq',
  'householdNo',
  'name',
  'gender',
  'ethnicity',
  'birthDate',
  'idNumber',
  'phone',
  'community',
  'grid',
  'courtyard',
  'door',
  'relation',
  'residenceType',
  'tags',
  'arrivalDate',
  'note',
] as const;
