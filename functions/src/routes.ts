import {
  COUNTY_ADMIN,
  countyReconciliationSchema,
  reconciliationSchema,
  PEOPLE_READ,
  PEOPLE_WRITE,
  STAFF_READ,
  TOWN_ADMIN,
  bookExportSchema,
  communityViewSchema,
  countySummarySchema,
  courtyardViewSchema,
  gridViewSchema,
  healthSchema,
  readySchema,
  hierarchySchema,
  householdCardSchema,
  householdViewSchema,
  importRecordSchema,
  importSummarySchema,
  inlineFileSchema,
  orgEventSchema,
  personDetailSchema,
  personViewSchema,
  putTownResultSchema,
  revealedSchema,
  rollupRunResultSchema,
  rollupTrendSchema,
  rollupViewSchema,
  staffViewSchema,
  townConfigSchema,
  townCountersSchema,
  townMapSchema,
  townMeSchema,
  townPageSchema,
  townSchema,
  pageOf,
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
  params?: z.core.$ZodType<Record<string, string>>;
  query?: z.core.$ZodType;
  body?: z.core.$ZodType;
  /**
   * What a successful call answers with (the error body is the same for every route). Optional only so
   * that test fixtures may leave it out: every route of the table must name one (checked below).
   */
  response?: z.core.$ZodType;
  /** The statuses a success answers with (default 200 only). */
  success?: readonly (200 | 201 | 202)[];
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

const communityParams = z.strictObject({ communityId: entityIdSchema });
const gridParams = z.strictObject({ gridId: entityIdSchema });
const courtyardParams = z.strictObject({ courtyardId: entityIdSchema });
const householdParams = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema });
const personParams = z.strictObject({ gridId: entityIdSchema, householdId: entityIdSchema, personId: entityIdSchema });
const householdQuery = pageQuery.extend({ courtyardId: z.optional(entityIdSchema) });
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
const exportQuery = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx'), gridId: z.optional(entityIdSchema) });
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
  to: z.optional(periodSchema),
});
const rollupFileQuery = z.strictObject({ format: z.enum(['csv', 'xlsx', 'json']).default('xlsx') });
/** Reconcile on demand: recount only, or recount and set the counters to the recount. */
const reconcileBody = z.strictObject({ fix: z.boolean().default(false) });
/** A county rollup route: counts only, never a person. */
const rollup = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'roles'>>(r: T) =>
  ({ ...r, area: 'county', audience: 'county', roles: COUNTY_ADMIN }) as const;

/** The outline of an OpenAPI 3.1 document: the generator (openapi.ts) owns the rest. */
const openApiShape = z.object({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const routes = {
  health: define({
    id: 'health',
    response: healthSchema,
    method: 'GET',
    path: '/health',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'Liveness of the API',
  }),
  ready: define({
    id: 'health.ready',
    response: readySchema,
    method: 'GET',
    path: '/health/ready',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'Readiness: the API answers and the table answers a read (503 when it does not)',
  }),
  openapi: define({
    id: 'openapi',
    response: openApiShape,
    method: 'GET',
    path: '/openapi.json',
    area: 'public',
    audience: 'public',
    roles: ROLES,
    summary: 'This description of the API (OpenAPI 3.1), generated from the route table',
  }),
  countySummary: define({
    id: 'county.summary',
    response: countySummarySchema,
    method: 'GET',
    path: '/admin/summary',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    summary: 'Tenant counts for the county console',
  }),
  rollupShow: rollup({
    id: 'rollups.show',
    response: rollupViewSchema,
    method: 'GET',
    path: '/admin/rollups',
    query: rollupQuery,
    summary: "A period's county rollup: the county total and every town side by side, with the change against the previous period",
  }),
  rollupTrend: rollup({
    id: 'rollups.trend',
    response: rollupTrendSchema,
    method: 'GET',
    path: '/admin/rollups/trend',
    query: rollupTrendQuery,
    summary: 'One metric over the last 12 periods of a kind, for the county and each town',
  }),
  rollupRun: rollup({
    id: 'rollups.run',
    response: rollupRunResultSchema,
    method: 'POST',
    path: '/admin/rollups/run',
    body: z.strictObject({ period: periodSchema }),
    summary: 'Runs the rollup of a period now (idempotent) and returns its outcome',
  }),
  rollupFile: rollup({
    id: 'rollups.file',
    response: inlineFileSchema,
    method: 'GET',
    path: '/admin/rollups/{period}/file',
    params: rollupParams,
    query: rollupFileQuery,
    summary: "A period's rollup as a CSV, XLSX or JSON file",
  }),
  listTowns: define({
    id: 'towns.list',
    response: townPageSchema,
    method: 'GET',
    path: '/admin/towns',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    query: pageQuery,
    summary: 'List towns, a page at a time',
  }),
  putTown: define({
    id: 'towns.put',
    success: [200, 201],
    response: putTownResultSchema,
    method: 'PUT',
    path: '/admin/towns/{townId}',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: townIdParams,
    body: townSpecSchema,
    summary: 'Provision a town (idempotent)',
  }),
  getTown: define({
    id: 'towns.get',
    response: townSchema,
    method: 'GET',
    path: '/admin/towns/{townId}',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: townIdParams,
    summary: 'One town from the registry',
  }),
  suspendTown: define({
    id: 'towns.suspend',
    response: townSchema,
    method: 'POST',
    path: '/admin/towns/{townId}/suspend',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: townIdParams,
    summary: 'Suspend a town: its users get 403 until it is resumed',
  }),
  resumeTown: define({
    id: 'towns.resume',
    response: townSchema,
    method: 'POST',
    path: '/admin/towns/{townId}/resume',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: townIdParams,
    summary: 'Resume a suspended town',
  }),
  reconcileTownCounty: define({
    id: 'towns.reconcile',
    response: countyReconciliationSchema,
    method: 'POST',
    path: '/admin/towns/{townId}/reconcile',
    area: 'county',
    audience: 'county',
    roles: COUNTY_ADMIN,
    params: townIdParams,
    body: reconcileBody,
    summary: "Recount a town's counters now (fixing with `fix`): drift per counter, counts only",
  }),
  me: define({
    id: 'town.me',
    response: townMeSchema,
    method: 'GET',
    path: '/town/me',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'The signed-in user and their town',
  }),
  hierarchy: define({
    id: 'town.hierarchy',
    response: hierarchySchema,
    method: 'GET',
    path: '/town/hierarchy',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Communities, grids and courtyards of the town',
  }),
  townConfig: define({
    id: 'town.config',
    response: townConfigSchema,
    method: 'GET',
    path: '/town/config',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Posts, SLAs, visit cycles and group tags of the town',
  }),
  townSummary: define({
    id: 'town.summary',
    response: townCountersSchema,
    method: 'GET',
    path: '/town/summary',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Maintained counters of the town',
  }),
  reconcileTown: define({
    id: 'town.reconcile',
    response: reconciliationSchema,
    method: 'POST',
    path: '/town/reconcile',
    area: 'town',
    audience: 'town',
    roles: TOWN_ADMIN,
    body: reconcileBody,
    summary: "Recount the town's counters now (fixing with `fix`) and show the drift found",
  }),
  staff: define({
    id: 'town.staff',
    response: pageOf(staffViewSchema),
    method: 'GET',
    path: '/town/staff',
    area: 'town',
    audience: 'town',
    roles: STAFF_READ,
    query: pageQuery,
    personal: true,
    summary: 'Staff of the town, a page at a time',
  }),
  createCommunity: orgChange({
    id: 'org.community.create',
    success: [201],
    response: communityViewSchema,
    method: 'POST',
    path: '/town/communities',
    body: newCommunitySchema,
    summary: 'Add a community or village',
  }),
  renameCommunity: orgChange({
    id: 'org.community.rename',
    response: communityViewSchema,
    method: 'PATCH',
    path: '/town/communities/{communityId}',
    params: communityParams,
    body: communityChangeSchema,
    summary: 'Rename a community',
  }),
  retireCommunity: orgChange({
    id: 'org.community.retire',
    response: communityViewSchema,
    method: 'POST',
    path: '/town/communities/{communityId}/retire',
    params: communityParams,
    body: retireSchema,
    summary: 'Retire a community (its records stay)',
  }),
  createGrid: orgChange({
    id: 'org.grid.create',
    success: [201],
    response: gridViewSchema,
    method: 'POST',
    path: '/town/grids',
    body: newGridSchema,
    summary: 'Add a grid to a community',
  }),
  changeGrid: orgChange({
    id: 'org.grid.change',
    response: gridViewSchema,
    method: 'PATCH',
    path: '/town/grids/{gridId}',
    params: gridParams,
    body: gridChangeSchema,
    summary: 'Rename a grid, change its code or boundary',
  }),
  moveGrid: orgChange({
    id: 'org.grid.move',
    response: gridViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/move',
    params: gridParams,
    body: gridMoveSchema,
    summary: 'Move a grid to another community',
  }),
  retireGrid: orgChange({
    id: 'org.grid.retire',
    response: gridViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/retire',
    params: gridParams,
    body: retireSchema,
    summary: 'Retire a grid (its records stay)',
  }),
  assignCoordinator: orgChange({
    id: 'org.grid.coordinator',
    response: gridViewSchema,
    method: 'PUT',
    path: '/town/grids/{gridId}/coordinator',
    params: gridParams,
    body: coordinatorSchema,
    summary: "Name the grid's coordinator (定人)",
  }),
  createCourtyard: orgChange({
    id: 'org.courtyard.create',
    success: [201],
    response: courtyardViewSchema,
    method: 'POST',
    path: '/town/courtyards',
    body: newCourtyardSchema,
    summary: 'Add a courtyard or building to a grid',
  }),
  renameCourtyard: orgChange({
    id: 'org.courtyard.rename',
    response: courtyardViewSchema,
    method: 'PATCH',
    path: '/town/courtyards/{courtyardId}',
    params: courtyardParams,
    body: courtyardChangeSchema,
    summary: 'Rename a courtyard',
  }),
  moveCourtyard: orgChange({
    id: 'org.courtyard.move',
    response: courtyardViewSchema,
    method: 'POST',
    path: '/town/courtyards/{courtyardId}/move',
    params: courtyardParams,
    body: courtyardMoveSchema,
    summary: 'Move a courtyard to another grid',
  }),
  retireCourtyard: orgChange({
    id: 'org.courtyard.retire',
    response: courtyardViewSchema,
    method: 'POST',
    path: '/town/courtyards/{courtyardId}/retire',
    params: courtyardParams,
    body: retireSchema,
    summary: 'Retire a courtyard (its records stay)',
  }),
  createHousehold: people({
    id: 'book.household.create',
    success: [201],
    response: householdViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households',
    roles: PEOPLE_WRITE,
    params: gridParams,
    body: newHouseholdSchema,
    summary: 'Add a household to a grid',
  }),
  listHouseholds: people({
    id: 'book.household.list',
    response: pageOf(householdViewSchema),
    method: 'GET',
    path: '/town/grids/{gridId}/households',
    roles: PEOPLE_READ,
    params: gridParams,
    query: householdQuery,
    summary: "A grid's households, optionally of one courtyard",
  }),
  getHousehold: people({
    id: 'book.household.get',
    response: householdCardSchema,
    method: 'GET',
    path: '/town/grids/{gridId}/households/{householdId}',
    roles: PEOPLE_READ,
    params: householdParams,
    summary: 'A household card with its members',
  }),
  changeHousehold: people({
    id: 'book.household.change',
    response: householdViewSchema,
    method: 'PATCH',
    path: '/town/grids/{gridId}/households/{householdId}',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: householdChangeSchema,
    summary: "Correct a household's courtyard, number or door (its members follow a new courtyard)",
  }),
  closeHousehold: people({
    id: 'book.household.close',
    response: householdViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/close',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: householdCloseSchema,
    summary: 'Close a household nobody lives in any more (kept and listed as closed, not deleted)',
  }),
  addPerson: people({
    id: 'book.person.create',
    success: [201],
    response: personViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people',
    roles: PEOPLE_WRITE,
    params: householdParams,
    body: newPersonSchema,
    summary: 'Add a member to a household',
  }),
  listPeople: people({
    id: 'book.person.list',
    response: pageOf(personViewSchema),
    method: 'GET',
    path: '/town/grids/{gridId}/people',
    roles: PEOPLE_READ,
    params: gridParams,
    query: pageQuery,
    summary: "A grid's people, household by household",
  }),
  getPerson: people({
    id: 'book.person.get',
    response: personDetailSchema,
    method: 'GET',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}',
    roles: PEOPLE_READ,
    params: personParams,
    summary: 'A person with their history of moves',
  }),
  changePerson: people({
    id: 'book.person.change',
    response: personViewSchema,
    method: 'PATCH',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: personChangeSchema,
    summary: "Correct a person's details",
  }),
  movePerson: people({
    id: 'book.person.move',
    response: personViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/moves',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: moveSchema,
    summary: 'Record an arrival, departure or move (an event; history is kept)',
  }),
  closePerson: people({
    id: 'book.person.close',
    response: personViewSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/close',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: closeSchema,
    summary: 'Close a record on death or moving away (kept, not deleted)',
  }),
  revealPerson: people({
    id: 'book.person.reveal',
    response: revealedSchema,
    method: 'POST',
    path: '/town/grids/{gridId}/households/{householdId}/people/{personId}/reveal',
    roles: PEOPLE_WRITE,
    params: personParams,
    body: revealSchema,
    summary: 'Show an ID number or phone in full, with a reason (audited, rate-limited)',
  }),
  searchPeople: people({
    id: 'book.person.search',
    response: pageOf(personViewSchema),
    method: 'POST',
    path: '/town/people/search',
    roles: PEOPLE_READ,
    body: peopleSearchSchema,
    summary: 'Find people by ID number, name prefix, tag or residence type',
  }),
  previewImport: people({
    id: 'book.import.preview',
    success: [201],
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports',
    roles: TOWN_ADMIN,
    body: importUploadSchema,
    maxBody: 6_200_000,
    summary: 'Upload a population book (GBK/UTF-8 CSV or XLSX) and see what importing it would do, with the column mapping used',
  }),
  importStatus: people({
    id: 'book.import.get',
    response: importRecordSchema,
    method: 'GET',
    path: '/town/imports/{importId}',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: "An import's preview, status and progress",
  }),
  commitImport: people({
    id: 'book.import.commit',
    success: [202],
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports/{importId}/commit',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: 'Carry out a previewed import in the background',
  }),
  importErrors: people({
    id: 'book.import.errors',
    response: inlineFileSchema,
    method: 'GET',
    path: '/town/imports/{importId}/errors',
    roles: TOWN_ADMIN,
    params: importParams,
    query: fileQuery,
    summary: "The rejected rows with their reasons, as a file in the upload's columns",
  }),
  listImports: people({
    id: 'book.import.list',
    response: pageOf(importSummarySchema),
    method: 'GET',
    path: '/town/imports',
    roles: TOWN_ADMIN,
    query: pageQuery,
    summary: "The town's imports, newest first, with status, who, when and counts",
  }),
  resumeImport: people({
    id: 'book.import.resume',
    success: [202],
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports/{importId}/resume',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: 'Run a failed import again from where it stopped',
  }),
  abandonImport: people({
    id: 'book.import.abandon',
    response: importRecordSchema,
    method: 'POST',
    path: '/town/imports/{importId}/abandon',
    roles: TOWN_ADMIN,
    params: importParams,
    summary: 'Give up a failed or stalled import (rows already written stay)',
  }),
  exportBook: people({
    id: 'book.export',
    response: bookExportSchema,
    method: 'GET',
    path: '/town/export',
    roles: TOWN_ADMIN,
    query: exportQuery,
    summary: 'The population book (or one grid) as XLSX or CSV, in the import layout',
  }),
  populationMap: define({
    id: 'book.map',
    response: townMapSchema,
    method: 'GET',
    path: '/town/map',
    area: 'town',
    audience: 'town',
    roles: TOWN_ANY,
    summary: 'Grids and courtyards with boundaries and population counts, for the map',
  }),
  orgHistory: define({
    id: 'org.history',
    response: pageOf(orgEventSchema),
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

// Fails to compile when a route of the table has no response schema.
routes satisfies Record<RouteId, { response: z.core.$ZodType }>;

/** The route table as a list, in a stable order. */
export const routeTable: readonly RouteSpec[] = Object.values(routes);

/** API Gateway's route key for a route, e.g. `PUT /admin/towns/{townId}`. */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** The areas, i.e. the deployed functions, each serving its routes. */
export const areas = [...new Set(routeTable.map((r) => r.area))];
