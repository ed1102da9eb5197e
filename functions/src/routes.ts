import {
  closeSchema,
  communityChangeSchema,
  coordinatorSchema,
  courtyardChangeSchema,
  courtyardMoveSchema,
  entityIdSchema,
  gridChangeSchema,
  gridMoveSchema,
  householdChangeSchema,
  householdCloseSchema,
  moveSchema,
  newCommunitySchema,
  newCourtyardSchema,
  newGridSchema,
  newHouseholdSchema,
  newPersonSchema,
  orgRecordParams,
  PERIOD_KINDS,
  periodSchema,
  metricIds,
  peopleSearchSchema,
  personChangeSchema,
  type Role,
  ROLES,
  retireSchema,
  revealSchema,
  TOWN_ROLES,
  townIdParams,
  townSpecSchema,
} from '@gridline/domain';
import { BOOK_FIELDS } from '@gridline/domain';
import * as z from 'zod';

/** Which kind of caller a route serves: county routes refuse town users and the other way round. */
export type Audience = 'public' | 'county' | 'town';
export type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One route: everything the local server, the CDK app and the test suites need to know about it.
 * The implementation lives in its area module; the area is also the deployed function's name.
 */
export type RouteSpec = {
  id: string;
  method: Method;
  path: string;
  area: string;
  audience: Audience;
  roles: readonly Role[];
  params?: z.ZodType<Record<string, string>>;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Whether responses may hold personal data (kept out of caches and logs). */
  personal?: boolean;
  /** Largest JSON body accepted, in bytes (default 256 KB; uploads up to Lambda's 6 MB payload). */
  maxBody?: number;
  summary: string;
};

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

const COUNTY: readonly Role[] = ['county_admin'];
const TOWN_ADMIN: readonly Role[] = ['town_admin'];
const communityParams = z.strictObject({ communityId: entityIdSchema });
const gridParams = z.strictObject({ gridId: entityIdSchema });
const courtyardParams = z.strictObject({ courtyardId: entityIdSchema });
const PEOPLE_READ: readonly Role[] = ['town_admin', 'community_staff', 'grid_coordinator', 'auditor'];
const PEOPLE_WRITE: readonly Role[] = ['town_admin', 'community_staff', 'grid_coordinator'];
const householdParams = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema });
const personParams = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema, personId: entityIdSchema });
const householdQuery = pageQuery.extend({ courtyardId: entityIdSchema.optional() });
const TOWN_ADMIN_ONLY: readonly Role[] = ['town_admin'];
const importParams = z.strictObject({ importId: entityIdSchema });
/** A book file sent inline (base64): up to ~4.4 MB of file within Lambda's 6 MB request payload. */
const uploadSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(120),
  contentBase64: z.base64().max(6_000_000),
});
/**
 * A book upload for preview: the file, and optionally what the user decided on the previous preview:
 * the field of any column by its header text (null ignores it), and whether the communities and grids
 * the book names that the town lacks are to be created by the import.
 */
const importUploadSchema = uploadSchema.extend({
  mapping: z
    .array(z.strictObject({ header: z.string().trim().min(1).max(100), field: z.enum(BOOK_FIELDS).nullable() }))
    .max(64)
    .optional(),
  createOrg: z.boolean().optional(),
});
const fileQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') });
const exportQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx'), gridId: entityIdSchema.optional() });
/** A town route over the population book: personal data, never cached, scoped to the caller's grids. */
const people = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;
/** A town-admin route that changes the org chart. */
const orgChange = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'roles'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', roles: TOWN_ADMIN }) as const;
const TOWN_ANY: readonly Role[] = TOWN_ROLES;
const define = <const T extends RouteSpec>(r: T) => r;
const rollupQuery = z.strictObject({ period: periodSchema });
const rollupParams = z.strictObject({ period: periodSchema });
const rollupTrendQuery = z.strictObject({
  metric: z.enum(metricIds() as [string, ...string[]]),
  kind: z.enum(PERIOD_KINDS).default('month'),
  /** The last period of the trend (default: the period of that kind containing today, Asia/Shanghai). */
  to: periodSchema.optional(),
});
const rollupFileQuery = z.strictObject({ format: z.enum(['csv', 'xlsx', 'json']).default('xlsx') });
/** A county rollup route: counts only, never a person. */
const rollup = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'roles'>>(r: T) =>
  ({ ...r, area: 'county', audience: 'county', roles: COUNTY }) as const;

export const routes = {
  health: define({
    id: 'health',
    method: 'GET',
    path: '/health',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'Liveness of the API',
  }),
  countySummary: define({
    id: 'county.summary',
    method: 'GET',
    path: '/admin/summary',
    area: 'county',
    audience: 'county',
    roles: COUNTY,
    summary: 'Tenant counts for the county console',
  }),
  rollupShow: rollup({
    id: 'rollups.show',
    method: 'GET',
    path: '/admin/rollups',
    query: rollupQuery,
    summary: "A period's county rollup: the county total and every town side by side, with the change against the previous period",
  }),
  rollupTrend: rollup({
    id: 'rollups.trend',
    method: 'GET',
    path: '/admin/rollups/trend',
    query: rollupTrendQuery,
    summary: 'One metric over the last 12 periods of a kind, for the county and each town',
  }),
  rollupRun: rollup({
    id: 'rollups.run',
    method: 'POST',
    path: '/admin/rollups/run',
    body: z.strictObject({ period: periodSchema }),
    summary: 'Runs the rollup of a period now (idempotent) and returns its outcome',
  }),
  rollupFile: rollup({
    id: 'rollups.file',
    method: 'GET',
    path: '/admin/rollups/{period}/file',
    params: rollupParams,
    query: rollupFileQuery,
    summary: "A period's rollup as a CSV, XLSX or JSON file",
  }),
  listTowns: define({
    id: 'towns.list',
    method: 'GET',
    path: '/admin/towns',
    area: 'county',
    audience: 'county',
    roles: COUNTY,
    query: pageQuery,
    summary: 'List towns, a page at a time',
  }),
  putTown: define({
    id: 'towns.put',
    method: 'PUT',
    path: '/admin/towns/{townId}',
    area: 'county',
    audience: 'county',
    roles: COUNTY,
    params: townIdParams,
    body: townSpecSchema,
    summary: 'Provision a town (idempotent)',
  }),
  getTown: define({
    id: 'towns.get',
    method: 'GET',
    path: '/admin/towns/{townId}',
    area: 'county',
    audience: 'county',
    roles: COUNTY,
    params: townIdParams,
    summary: 'One town from the registry',
  }),
  suspendTown: define({
    id: 'towns.suspend',
    method: 'POST',
    path: '/admin/towns/{townId}/suspend',
    area: 'county',
    audience: 'county',
    roles: COUNTY,
    params: townIdParams,
    summary: 'Suspend a town: its users get 403 until it is resumed',
  }),
  resumeTown: define({
    id: 'towns.resume',
    method: 'POST',
    path: '/admin/towns/{townId}/resume',
    area: 'county',
    audience: 'county',
    roles: COUNTY,
    params: townIdParams,
    summary: 'Resume a suspended town',
  }),
  me: define({
    id: 'town.me',
    method: 'GET',
    path: '/town/me',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'The signed-in user and their town',
  }),
  hierarchy: define({
    id: 'town.hierarchy',
    method: 'GET',
    path: '/town/hierarchy',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Communities, grids and courtyards of the town',
  }),
  townConfig: define({
    id: 'town.config',
    method: 'GET',
    path: '/town/config',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Posts, SLAs, visit cycles and group tags of the town',
  }),
  townSummary: define({
    id: 'town.summary',
    method: 'GET',
    path: '/town/summary',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Maintained counters of the town',
  }),
  staff: define({
    id: 'town.staff',
    method: 'GET',
    path: '/town/staff',
    area: 'town',
    audience: 'town',
    roles: ['town_admin', 'auditor'],
    query: pageQuery,
    personal: true,
    summary: 'Staff of the town, a page at a time',
  }),
  createCommunity: orgChange({
    id: 'org.community.create',
    method: 'POST',
    path: '/town/communities',
    body: newCommunitySchema,
    summary: 'Add a community or village',
  }),
  renameCommunity: orgChange({
    id: 'org.community.rename',
    method: 'PATCH',
    path: '/town/communities/{communityId}',
    params: communityParams,
    body: communityChangeSchema,
    summary: 'Rename a community',
  }),
  retireCommunity: orgChange({
    id: 'org.community.retire',
    method: 'POST',
    path: '/town/communities/{communityId}/retire',
    params: communityParams,
    body: retireSchema,
    summary: 'Retire a community (its records stay)',
  }),
  createGrid: orgChange({
    id: 'org.grid.create',
    method: 'POST',
    path: '/town/grids',
    body: newGridSchema,
    summary: 'Add a grid to a community',
  }),
  changeGrid: orgChange({
    id: 'org.grid.change',
    method: 'PATCH',
    path: '/town/grids/{gridId}',
    params: gridParams,
    body: gridChangeSchema,
    summary: 'Rename a grid, change its code or boundary',
  }),
  moveGrid: orgChange({
    id: 'org.grid.move',
    method: 'POST',
    path: '/town/grids/{gridId}/move',
    params: gridParams,
    body: gridMoveSchema,
    summary: 'Move a grid to another community',
  }),
  retireGrid: orgChange({
    id: 'org.grid.retire',
    method: 'POST',
    path: '/town/grids/{gridId}/retire',
    params: gridParams,
    body: retireSchema,
    summary: 'Retire a grid (its records stay)',
  }),
  assignCoordinator: orgChange({
    id: 'org.grid.coordinator',
    method: 'PUT',
    path: '/town/grids/{gridId}/coordinator',
    params: gridParams,
    body: coordinatorSchema,
    summary: "Name the grid's coordinator (定人)",
  }),
  createCourtyard: orgChange({
    id: 'org.courtyard.create',
    method: 'POST',
    path: '/town/courtyards',
    body: newCourtyardSchema,
    summary: 'Add a courtyard or building to a grid',
  }),
  renameCourtyard: orgChange({
    id: 'org.courtyard.rename',
    method: 'PATCH',
    path: '/town/courtyards/{courtyardId}',
    params: courtyardParams,
    body: courtyardChangeSchema,
    summary: 'Rename a courtyard',
  }),
  moveCourtyard: orgChange({
    id: 'org.courtyard.move',
    method: 'POST',
    path: '/town/courtyards/{courtyardId}/move',
    params: courtyardParams,
    body: courtyardMoveSchema,
    summary: 'Move a courtyard to another grid',
  }),
  retireCourtyard: orgChange({
    id: 'org.courtyard.retire',
    method: 'POST',
    path: '/town/courtyards/{courtyardId}/retire',
    params: courtyardParams,
    body: retireSchema,
    summary: 'Retire a courtyard (its records stay)',
  }),
  createHousehold: people({
    id: 'book.household.create',
    method: 'POST',
    path: '/town/grids/{gridId}/households',
    roles: PEOPLE_WRITE,
    params: gridParams,
    body: newHouseholdSchema,
    summary: 'Add a household to a grid',
  }),
  listHouseholds: people({
    id: 'book.household.list',
    method: 'GET',
    path: '/town/grids/{gridId}/households',
    roles: PEOPLE_READ,
    params: gridParams,
    query: householdQuery,
    summary: "A grid's households, optionally of one courtyard",
  }),
  getHousehold: people({
    id: 'book.household.get',
    method: 'GET',
    path: '/town/grids/{gridId}/households/{householdId}',
    roles: PEOPLE_READ,
    params: householdParams,
    summary: 'A household card with its members',
  }),
  changeHousehold: people({
    id: 'book.household.change',
    method: 'PATCH',
    path: '/town/grids/{gridId}/households/{householdId}',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: householdChangeSchema,
    summary: "Correct a household's courtyard, number or door (its members follow a new courtyard)",
  }),
  closeHousehold: people({
    id: 'book.household.close',
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/close',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: householdCloseSchema,
    summary: 'Close a household nobody lives in any more (kept and listed as closed, not deleted)',
  }),
  addPerson: people({
    id: 'book.person.create',
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: newPersonSchema,
    summary: 'Add a member to a household',
  }),
  listPeople: people({
    id: 'book.person.list',
    method: 'GET',
    path: '/town/grids/{gridId}/people',
    roles: PEOPLE_READ,
    params: gridParams,
    query: pageQuery,
    summary: "A grid's people, household by household",
  }),
  getPerson: people({
    id: 'book.person.get',
    method: 'GET',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}',
    roles: PEOPLE_READ,
    params: personParams,
    summary: 'A person with their history of moves',
  }),
  changePerson: people({
    id: 'book.person.change',
    method: 'PATCH',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: personChangeSchema,
    summary: "Correct a person's details",
  }),
  movePerson: people({
    id: 'book.person.move',
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/moves',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: moveSchema,
    summary: 'Record an arrival, departure or move (an event; history is kept)',
  }),
  closePerson: people({
    id: 'book.person.close',
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/close',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: closeSchema,
    summary: 'Close a record on death or moving away (kept, not deleted)',
  }),
  revealPerson: people({
    id: 'book.person.reveal',
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/reveal',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: revealSchema,
    summary: 'Show an ID number or phone in full, with a reason (audited, rate-limited)',
  }),
  searchPeople: people({
    id: 'book.person.search',
    method: 'POST',
    path: '/town/people/search',
    roles: PEOPLE_READ,
    body: peopleSearchSchema,
    summary: 'Find people by ID number, name prefix, tag or residence type',
  }),
  previewImport: people({
    id: 'book.import.preview',
    method: 'POST',
    path: '/town/imports',
    roles: TOWN_ADMIN_ONLY,
    body: importUploadSchema,
    maxBody: 6_200_000,
    summary: 'Upload a population book (GBK/UTF-8 CSV or XLSX) and see what importing it would do, with the column mapping used',
  }),
  importStatus: people({
    id: 'book.import.get',
    method: 'GET',
    path: '/town/imports/{importId}',
    roles: TOWN_ADMIN_ONLY,
    params: importParams,
    summary: "An import's preview, status and progress",
  }),
  commitImport: people({
    id: 'book.import.commit',
    method: 'POST',
    path: '/town/imports/{importId}/commit',
    roles: TOWN_ADMIN_ONLY,
    params: importParams,
    summary: 'Carry out a previewed import in the background',
  }),
  importErrors: people({
    id: 'book.import.errors',
    method: 'GET',
    path: '/town/imports/{importId}/errors',
    roles: TOWN_ADMIN_ONLY,
    params: importParams,
    query: fileQuery,
    summary: "The rejected rows with their reasons, as a file in the upload's columns",
  }),
  exportBook: people({
    id: 'book.export',
    method: 'GET',
    path: '/town/export',
    roles: TOWN_ADMIN_ONLY,
    query: exportQuery,
    summary: 'The population book (or one grid) as XLSX or CSV, in the import layout',
  }),
  populationMap: define({
    id: 'book.map',
    method: 'GET',
    path: '/town/map',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Grids and courtyards with boundaries and population counts, for the map',
  }),
  orgHistory: define({
    id: 'org.history',
    method: 'GET',
    path: '/town/org/{kind}/{id}/history',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    params: orgRecordParams,
    query: pageQuery,
    summary: 'History of a community, grid or courtyard',
  }),
} as const;

export type RouteId = keyof typeof routes;

/** The route table as a list, in a stable order. */
export const routeTable: readonly RouteSpec[] = Object.values(routes);

/** API Gateway's route key for a route, e.g. `PUT /admin/towns/{townId}`. */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** The areas, i.e. the deployed functions, each serving its routes. */
export const areas = [...new Set(routeTable.map((r) => r.area))];
