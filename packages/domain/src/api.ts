import * as z from 'zod';
import { boundarySchema, communitySchema, courtyardSchema, gridSchema, staffSchema } from './hierarchy';
import { floatingViewSchema, residenceTypeSchema } from './people';
import { scopeSchema } from './principal';
import { BOOK_FIELDS, CLOSE_REASONS, GENDERS, HOUSEHOLD_CLOSE_REASONS, TOWN_KINDS, TOWN_ROLES } from './rules';
import { townStatusSchema } from './town';

/*
 * What the API answers with, one zod schema per shape, beside the request schemas. The route table
 * names one per route; the OpenAPI document is generated from them and the test runs check every
 * response against its route's schema. Objects are open (extra fields pass) so that adding a field is
 * never a breaking change; a missing or mistyped field fails.
 */

const isoTime = z.string().min(1);
const day = z.iso.date();
const version = z.number().int().min(1);
const count = z.number().int().min(0);
/** A text in both UI languages. */
export const labelSchema = z.object({ zh: z.string(), en: z.string() });

/** The stable error body of every 4xx and 5xx the API itself answers. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1).describe('Dotted, stable code, e.g. `town.conflict`'),
    message: z.string().describe('Safe to show to the user'),
    field: z.string().optional().describe('The input the error is about, e.g. `body.admin.username`'),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A page of a listing; `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type Page<T> = { items: T[]; nextCursor: string | null };

export const healthSchema = z.object({ ok: z.literal(true) });
/** Readiness: the process answers and the table answered a read. */
export const readySchema = z.object({ ok: z.literal(true), database: z.literal('ok') });

// County.

export const townSchema = z.object({
  townId: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  kind: z.enum(TOWN_KINDS),
  status: townStatusSchema,
  admin: z.object({ username: z.string(), displayName: z.string() }),
  createdAt: isoTime,
  updatedAt: isoTime,
  version,
});
export type Town = z.infer<typeof townSchema>;
export const townPageSchema = pageOf(townSchema);
export const countySummarySchema = z.object({ towns: count, active: count, suspended: count });
export type CountySummary = z.infer<typeof countySummarySchema>;
export const putTownResultSchema = z.object({
  town: townSchema,
  /** Locally only, and only when the admin account was created by this call. */
  initialCredentials: z.object({ username: z.string(), temporaryPassword: z.string() }).optional(),
});
export type PutTownResult = z.infer<typeof putTownResultSchema>;

/** A count as the county sees it: below town level, 1–4 shows as "<5". */
export const rollupCellSchema = z.union([z.number(), z.literal('<5')]);
export type RollupCell = z.infer<typeof rollupCellSchema>;
const periodKind = z.enum(['day', 'month', 'quarter']);
const townFailure = z.object({ townId: z.string(), error: z.string() });
export const rollupRowSchema = z.object({
  level: z.enum(['county', 'town', 'community', 'grid', 'courtyard']),
  townId: z.string().nullable(),
  name: z.string(),
  status: z.enum(['ok', 'failed']),
  metrics: z.record(z.string(), rollupCellSchema).nullable(),
  /** Against the previous period of the same kind; null when that period was not rolled up. */
  change: z.record(z.string(), rollupCellSchema).nullable(),
  error: z.string().optional(),
});
export type RollupRow = z.infer<typeof rollupRowSchema>;
export const rollupMetricSchema = z.object({ id: z.string(), label: labelSchema, sensitive: z.boolean() });
export type RollupMetric = z.infer<typeof rollupMetricSchema>;
export const rollupViewSchema = z.object({
  period: z.string(),
  kind: periodKind,
  previous: z.string(),
  computedAt: isoTime,
  complete: z.boolean(),
  failed: z.array(townFailure),
  metrics: z.array(rollupMetricSchema),
  county: rollupRowSchema,
  towns: z.array(rollupRowSchema),
});
export type RollupView = z.infer<typeof rollupViewSchema>;
export const rollupTrendPointSchema = z.object({
  period: z.string(),
  county: z.number().nullable(),
  towns: z.record(z.string(), z.number().nullable()),
});
export type RollupTrendPoint = z.infer<typeof rollupTrendPointSchema>;
export const rollupTrendSchema = z.object({ metric: z.string(), kind: periodKind, points: z.array(rollupTrendPointSchema) });
export type RollupTrend = z.infer<typeof rollupTrendSchema>;
export const rollupRunResultSchema = z.object({
  period: z.string(),
  kind: periodKind,
  towns: count,
  ok: z.array(z.string()),
  failed: z.array(townFailure),
  files: z.array(z.string()),
});
export type RollupRunResult = z.infer<typeof rollupRunResultSchema>;

/** A file the API sends inline (base64 in JSON). */
export const inlineFileSchema = z.object({ fileName: z.string(), contentBase64: z.string() });
export type InlineFile = z.infer<typeof inlineFileSchema>;

// A town: who is signed in, its org chart and configuration.

export const townMeSchema = z.object({
  user: z.object({ username: z.string(), role: z.enum(TOWN_ROLES), scope: scopeSchema }),
  town: z.object({ townId: z.string(), name: z.string(), kind: z.enum(TOWN_KINDS), status: townStatusSchema }),
});
export type TownMe = z.infer<typeof townMeSchema>;

const orgStatus = z.enum(['active', 'retired']);
/** What every stored org record adds to its fields. */
const orgRecord = { status: orgStatus.optional(), version: version.optional(), createdAt: isoTime.optional() };
export const courtyardViewSchema = z.object({ ...courtyardSchema.shape, ...orgRecord });
export const gridViewSchema = z.object({ ...gridSchema.shape, ...orgRecord, boundary: boundarySchema.optional() });
export const communityViewSchema = z.object({ ...communitySchema.shape, ...orgRecord });
export type CourtyardView = z.infer<typeof courtyardViewSchema>;
export type GridView = z.infer<typeof gridViewSchema>;
export type CommunityView = z.infer<typeof communityViewSchema>;
export const hierarchySchema = z.object({
  communities: z.array(communityViewSchema.extend({ grids: z.array(gridViewSchema.extend({ courtyards: z.array(courtyardViewSchema) })) })),
});
export type HierarchyView = z.infer<typeof hierarchySchema>;
/** One change to a community, grid or courtyard. */
export const orgEventSchema = z.object({
  eventId: z.string(),
  action: z.string(),
  actor: z.string(),
  at: isoTime,
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
});
export type OrgEvent = z.infer<typeof orgEventSchema>;

export const tagDefSchema = z.object({ id: z.string(), label: labelSchema });
export type TagDef = z.infer<typeof tagDefSchema>;
export const townConfigSchema = z.object({
  posts: z.array(tagDefSchema),
  sla: z.record(z.string(), z.object({ acceptWorkingDays: z.number(), resolveWorkingDays: z.number() })).optional(),
  visitCycles: z.object({ householdDays: z.number(), byTag: z.record(z.string(), z.number()) }).optional(),
  specialGroups: z.array(tagDefSchema).optional(),
  keyGroups: z.array(tagDefSchema).optional(),
});
export type TownConfigView = z.infer<typeof townConfigSchema>;
/** Maintained counters by name (communities, grids, people, …). */
export const townCountersSchema = z.record(z.string(), z.number());
/** A staff member as listed: the account's sign-in id is not part of the listing. */
export const staffViewSchema = z.object({ ...staffSchema.shape, userId: staffSchema.shape.userId.optional() });
export type StaffView = z.infer<typeof staffViewSchema>;

// The population book. ID numbers and phones only ever leave the API masked (or revealed one at a time).

export const householdViewSchema = z.object({
  householdId: z.string(),
  gridId: z.string(),
  communityId: z.string(),
  courtyardId: z.string().optional(),
  code: z.string().optional(),
  door: z.string(),
  members: count,
  status: z.enum(['active', 'closed']),
  closedReason: z.enum(HOUSEHOLD_CLOSE_REASONS).optional(),
  closedOn: day.optional(),
  closedNote: z.string().optional(),
  version,
});
export type HouseholdView = z.infer<typeof householdViewSchema>;

export const personViewSchema = z.object({
  personId: z.string(),
  householdId: z.string(),
  gridId: z.string(),
  communityId: z.string(),
  courtyardId: z.string().optional(),
  name: z.string(),
  gender: z.enum(GENDERS),
  ethnicity: z.string().optional(),
  birthDate: day,
  idMasked: z.string(),
  phoneMasked: z.string().optional(),
  relation: z.string(),
  residenceType: residenceTypeSchema,
  tags: z.array(z.string()),
  /** Only for callers holding the key-group permission. */
  keyTags: z.array(z.string()).optional(),
  floating: floatingViewSchema.optional(),
  status: z.enum(['active', 'closed']),
  closedReason: z.enum(CLOSE_REASONS).optional(),
  note: z.string().optional(),
  version,
});
export type PersonView = z.infer<typeof personViewSchema>;
export const householdCardSchema = z.object({ household: householdViewSchema, members: z.array(personViewSchema) });
export type HouseholdCard = z.infer<typeof householdCardSchema>;
export const personEventSchema = z.object({
  kind: z.string(),
  on: day.optional(),
  at: isoTime,
  actor: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
  note: z.string().optional(),
  /** For a change: which fields it touched. */
  fields: z.array(z.string()).optional(),
});
export type PersonEvent = z.infer<typeof personEventSchema>;
export const personDetailSchema = z.object({ person: personViewSchema, events: z.array(personEventSchema) });
export type PersonDetail = z.infer<typeof personDetailSchema>;
export const revealedSchema = z.object({ field: z.enum(['idNumber', 'phone']), value: z.string() });

const mapCounts = { households: count, people: count, floating: count, special: count };
export const mapCourtyardSchema = z.object({ courtyardId: z.string(), name: z.string(), ...mapCounts });
export const mapGridSchema = z.object({
  gridId: z.string(),
  communityId: z.string(),
  name: z.string(),
  code: z.string(),
  boundary: boundarySchema.nullable().optional(),
  courtyards: z.array(mapCourtyardSchema),
  ...mapCounts,
});
/** Counts for the population map: never a person, only how many. */
export const townMapSchema = z.object({ grids: z.array(mapGridSchema) });
export type MapCourtyard = z.infer<typeof mapCourtyardSchema>;
export type MapGrid = z.infer<typeof mapGridSchema>;
export type TownMap = z.infer<typeof townMapSchema>;

// Importing and exporting the book.

/** A finding about an uploaded book: a rejected row's reason, or (with no row) why the file cannot be used. */
export const importIssueSchema = z.object({
  row: z.number().int().optional(),
  field: z.string().optional(),
  code: z.string(),
  message: labelSchema,
});
export type ImportIssue = z.infer<typeof importIssueSchema>;
/** How a column of an uploaded book was read: the field it feeds and how that was decided, or ignored. */
export const columnMappingSchema = z.object({
  column: z.number().int(),
  header: z.string(),
  field: z.enum(BOOK_FIELDS).nullable(),
  how: z.enum(['name', 'alias', 'content', 'user']).nullable(),
  /** For a mapping decided by content: what the values showed. */
  evidence: labelSchema.optional(),
});
export type ColumnMappingView = z.infer<typeof columnMappingSchema>;
/** Communities and grids a book names that the town lacks, and names too close to existing ones to create. */
export const orgPlanSchema = z.object({
  communities: z.array(z.string()),
  grids: z.array(z.object({ community: z.string(), grid: z.string() })),
  nearMisses: z.array(z.object({ kind: z.enum(['community', 'grid']), name: z.string(), existing: z.string() })),
});
export type OrgPlan = z.infer<typeof orgPlanSchema>;
/** What a preview was told: the user's mapping of columns, and whether to create the missing org units. */
export const previewOptionsSchema = z.object({
  mapping: z.array(z.object({ header: z.string(), field: z.enum(BOOK_FIELDS).nullable() })).optional(),
  createOrg: z.boolean().optional(),
});
export type PreviewOptions = z.infer<typeof previewOptionsSchema>;
export const importStatsSchema = z.object({
  rows: count,
  accepted: count,
  rejected: count,
  households: count,
  create: count,
  update: count,
  unchanged: count,
  newHouseholds: count,
  newCourtyards: count,
});
export type ImportStats = z.infer<typeof importStatsSchema>;
export const importProgressSchema = z.object({
  total: count,
  done: count,
  created: count,
  updated: count,
  unchanged: count,
  failed: count,
});
export type ImportProgress = z.infer<typeof importProgressSchema>;
export const IMPORT_STATUSES = ['previewed', 'queued', 'running', 'done', 'failed', 'abandoned'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const importRecordSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  /** Every column of the header row: the field it feeds and how that was decided, or ignored. */
  columns: z.array(columnMappingSchema).optional(),
  /** Header warnings and other findings that refuse nothing (unknown columns, tags read through aliases). */
  warnings: z.array(importIssueSchema).optional(),
  org: orgPlanSchema.optional(),
  options: previewOptionsSchema.optional(),
  status: z.enum(IMPORT_STATUSES),
  stats: importStatsSchema,
  /** The first 200 row issues, in row order. */
  issues: z.array(importIssueSchema),
  /** Non-empty: the file cannot be imported at all. */
  fileErrors: z.array(importIssueSchema),
  progress: importProgressSchema.optional(),
  by: z.string(),
  createdAt: isoTime,
  finishedAt: isoTime.optional(),
  error: z.string().optional(),
  /** Why it failed: `import.failed` (an error on every attempt) or `import.attempts_exhausted` (its runner stopped each time). */
  errorCode: z.string().optional(),
  /** The error of the last attempt that failed, while attempts remain. */
  lastError: z.string().optional(),
  /** When the first attempt began. */
  startedAt: isoTime.optional(),
  /** Runs started so far; more than one means it was resumed after its runner stopped. */
  attempts: count.optional(),
  version,
});
export type ImportRecordView = z.infer<typeof importRecordSchema>;
/** One line of the town's list of imports (newest first). */
export const importSummarySchema = importRecordSchema
  .pick({
    importId: true,
    fileName: true,
    status: true,
    stats: true,
    progress: true,
    by: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
    error: true,
    errorCode: true,
    attempts: true,
  })
  .extend({ rejected: count });
export type ImportSummary = z.infer<typeof importSummarySchema>;
export const bookExportSchema = inlineFileSchema.extend({ people: count });
export type BookExport = z.infer<typeof bookExportSchema>;

// Names the web app reads the shapes by.

export type OrgStatus = z.infer<typeof orgStatus>;
/** A community of the hierarchy, with its grids and their courtyards. */
export type HierarchyCommunity = HierarchyView['communities'][number];
/** A grid of the hierarchy, with its courtyards. */
export type HierarchyGrid = HierarchyCommunity['grids'][number];
export type TownCounters = z.infer<typeof townCountersSchema>;
export type MapCounts = { households: number; people: number; floating: number; special: number };
export type BookFileFormat = 'xlsx' | 'csv';

/** One counter that disagrees with a recount of the records. */
export const driftSchema = z.object({ counter: z.string(), metric: z.string(), stored: z.number(), expected: z.number() });
/** A reconciliation of a town's counters, as its town admin sees it. */
export const reconciliationSchema = z.object({
  townId: z.string(),
  at: z.string(),
  fixed: z.boolean(),
  people: z.number().int(),
  households: z.number().int(),
  driftCount: z.number().int(),
  drift: z.array(driftSchema),
});
/** A reconciliation as county IT sees it: counts only, single households folded into one number. */
export const countyReconciliationSchema = reconciliationSchema.extend({ householdsWithDrift: z.number().int() });
export type Reconciliation = z.infer<typeof reconciliationSchema>;
