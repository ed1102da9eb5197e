import * as z from 'zod';
import { entityIdSchema } from './ids';
import { charCount, FIELD_MAX, isCleanLine, ORG_KINDS, TOWN_ROLES, USERNAME_PATTERN } from './rules';

const name = z.string().trim().min(1).max(64);
/**
 * A community, grid or courtyard name as staff enter it: the book's rule for these names (./fields),
 * since an export writes them into the book and its import must read them back unchanged.
 */
const orgName = z
  .string()
  .trim()
  .min(1)
  .refine(isCleanLine, { message: 'Single-line text: no line breaks, control characters or runs of spaces.' })
  .refine((s) => charCount(s) <= FIELD_MAX.orgName, { message: `At most ${FIELD_MAX.orgName} characters.` });

export const communitySchema = z.strictObject({ communityId: entityIdSchema, name, kind: z.enum(['community', 'village']) });
export const gridSchema = z.strictObject({
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  name,
  code: z.string().max(32),
  coordinatorUserId: entityIdSchema.optional(),
  /** The coordinator replaced last: kept so that taking the grid out of their scope can be completed later. */
  formerCoordinatorUserId: entityIdSchema.optional(),
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

const version = z.number().int().min(1);
const code = z.string().trim().min(1).max(32);
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4).max(2000);

/** A grid boundary as GeoJSON (WGS 84 / GCJ-02 as the town's maps use), at most a few thousand points. */
export const boundarySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(20) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(20)).min(1).max(20) }),
]);
export type Boundary = z.infer<typeof boundarySchema>;

export const newCommunitySchema = z.strictObject({ name: orgName, kind: z.enum(['community', 'village']) });
export const newGridSchema = z.strictObject({ communityId: entityIdSchema, name: orgName, code, boundary: boundarySchema.optional() });
export const newCourtyardSchema = z.strictObject({ gridId: entityIdSchema, name: orgName });
export const communityChangeSchema = z.strictObject({ version, name: orgName });
export const gridChangeSchema = z.strictObject({
  version,
  name: orgName.optional(),
  code: code.optional(),
  boundary: boundarySchema.nullable().optional(),
});
export const courtyardChangeSchema = z.strictObject({ version, name: orgName });
export const gridMoveSchema = z.strictObject({ version, communityId: entityIdSchema });
export const courtyardMoveSchema = z.strictObject({ version, gridId: entityIdSchema });
export const retireSchema = z.strictObject({ version });
export const coordinatorSchema = z.strictObject({ version, username: z.string().regex(USERNAME_PATTERN) });
export const orgRecordParams = z.strictObject({ kind: z.enum(ORG_KINDS), id: entityIdSchema });
