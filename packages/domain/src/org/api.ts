import { isoTime, line, version } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema } from '../ids';
import { FIELD_MAX, ORG_KINDS, TOWN_ROLES, USERNAME_PATTERN } from '../rules';

/*
 * The org chart of a town (communities, grids, courtyards), its staff and the history of its changes:
 * the records, what staff send to change them, and what the API answers with.
 */

const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
/**
 * A community, grid or courtyard name as staff enter it: the book's rule for these names (../fields),
 * since an export writes them into the book and its import must read them back unchanged.
 */
const orgName = line(FIELD_MAX.orgName);

export const communitySchema = z.strictObject({ communityId: entityIdSchema, name, kind: z.enum(['community', 'village']) });
export const gridSchema = z.strictObject({
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  name,
  code: z.string().check(z.maxLength(32)),
  coordinatorUserId: z.optional(entityIdSchema),
  /** The coordinator replaced last: kept so that taking the grid out of their scope can be completed later. */
  formerCoordinatorUserId: z.optional(entityIdSchema),
});
export const courtyardSchema = z.strictObject({ courtyardId: entityIdSchema, gridId: entityIdSchema, name });

export type Community = z.infer<typeof communitySchema>;
export type Grid = z.infer<typeof gridSchema>;
export type Courtyard = z.infer<typeof courtyardSchema>;

export const staffSchema = z.strictObject({
  userId: entityIdSchema,
  username: z.string(),
  displayName: name,
  role: z.enum(TOWN_ROLES),
  communityIds: z.array(entityIdSchema),
  gridIds: z.array(entityIdSchema),
  posts: z.array(z.string()),
});
export type Staff = z.infer<typeof staffSchema>;

export type Hierarchy = {
  communities: Array<Community & { grids: Array<Grid & { courtyards: Courtyard[] }> }>;
};

/** Nests flat hierarchy records into community → grid → courtyard, each level sorted by id. */
export function nestHierarchy(communities: Community[], grids: Grid[], courtyards: Courtyard[]): Hierarchy {
  const byId =
    <T>(key: keyof T) =>
    (a: T, b: T) =>
      String(a[key]).localeCompare(String(b[key]));
  return {
    communities: [...communities].sort(byId('communityId')).map((c) => ({
      ...c,
      grids: grids
        .filter((g) => g.communityId === c.communityId)
        .sort(byId('gridId'))
        .map((g) => ({ ...g, courtyards: courtyards.filter((y) => y.gridId === g.gridId).sort(byId('courtyardId')) })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Changing the org chart: every change names the version it read (409 if someone changed it first).

const code = z.string().check(z.trim(), z.minLength(1), z.maxLength(32));
const position = z.tuple([z.number().check(z.minimum(-180), z.maximum(180)), z.number().check(z.minimum(-90), z.maximum(90))]);
const ring = z.array(position).check(z.minLength(4), z.maxLength(2000));
const rings = z.array(ring).check(z.minLength(1), z.maxLength(20));

/** A grid boundary as GeoJSON (WGS 84 / GCJ-02 as the town's maps use), at most a few thousand points. */
export const boundarySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Polygon'), coordinates: rings }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(rings).check(z.minLength(1), z.maxLength(20)) }),
]);
export type Boundary = z.infer<typeof boundarySchema>;

export const newCommunitySchema = z.strictObject({ name: orgName, kind: z.enum(['community', 'village']) });
export const newGridSchema = z.strictObject({ communityId: entityIdSchema, name: orgName, code, boundary: z.optional(boundarySchema) });
export const newCourtyardSchema = z.strictObject({ gridId: entityIdSchema, name: orgName });
export const communityChangeSchema = z.strictObject({ version, name: orgName });
export const gridChangeSchema = z.strictObject({
  version,
  name: z.optional(orgName),
  code: z.optional(code),
  boundary: z.optional(z.nullable(boundarySchema)),
});
export const courtyardChangeSchema = z.strictObject({ version, name: orgName });
export const gridMoveSchema = z.strictObject({ version, communityId: entityIdSchema });
export const courtyardMoveSchema = z.strictObject({ version, gridId: entityIdSchema });
export const retireSchema = z.strictObject({ version });
export const coordinatorSchema = z.strictObject({ version, username: z.string().check(z.regex(USERNAME_PATTERN)) });
export const orgRecordParams = z.strictObject({ kind: z.enum(ORG_KINDS), id: entityIdSchema });

// ---------------------------------------------------------------------------------------------------
// What the API answers with.

const orgStatus = z.enum(['active', 'retired']);
export type OrgStatus = z.infer<typeof orgStatus>;
/** What every stored org record adds to its fields. */
const orgRecord = { status: z.optional(orgStatus), version: z.optional(version), createdAt: z.optional(isoTime) };
export const courtyardViewSchema = z.object({ ...courtyardSchema.shape, ...orgRecord });
export const gridViewSchema = z.object({ ...gridSchema.shape, ...orgRecord, boundary: z.optional(boundarySchema) });
export const communityViewSchema = z.object({ ...communitySchema.shape, ...orgRecord });
export type CourtyardView = z.infer<typeof courtyardViewSchema>;
export type GridView = z.infer<typeof gridViewSchema>;
export type CommunityView = z.infer<typeof communityViewSchema>;
export const hierarchySchema = z.object({
  communities: z.array(
    z.extend(communityViewSchema, { grids: z.array(z.extend(gridViewSchema, { courtyards: z.array(courtyardViewSchema) })) }),
  ),
});
export type HierarchyView = z.infer<typeof hierarchySchema>;
/** A community of the hierarchy, with its grids and their courtyards. */
export type HierarchyCommunity = HierarchyView['communities'][number];
/** A grid of the hierarchy, with its courtyards. */
export type HierarchyGrid = HierarchyCommunity['grids'][number];

/** One change to a community, grid or courtyard. */
export const orgEventSchema = z.object({
  eventId: z.string(),
  action: z.string(),
  actor: z.string(),
  at: isoTime,
  before: z.optional(z.record(z.string(), z.unknown())),
  after: z.optional(z.record(z.string(), z.unknown())),
});
export type OrgEvent = z.infer<typeof orgEventSchema>;

/** A staff member as listed: the account's sign-in id is not part of the listing. */
export const staffViewSchema = z.object({
  ...staffSchema.shape,
  userId: z.optional(staffSchema.shape.userId),
  /** Absent on records made before staff could be disabled (they are active). */
  status: z.optional(z.enum(['active', 'disabled'])),
  version: z.optional(version),
});
export type StaffView = z.infer<typeof staffViewSchema>;
