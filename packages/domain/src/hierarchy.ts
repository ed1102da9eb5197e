import * as z from 'zod';
import { entityIdSchema } from './ids';
import { TOWN_ROLES } from './roles';

const name = z.string().trim().min(1).max(64);

export const communitySchema = z.strictObject({ communityId: entityIdSchema, name, kind: z.enum(['community', 'village']) });
export const gridSchema = z.strictObject({
  gridId: entityIdSchema,
  communityId: entityIdSchema,
  name,
  code: z.string().max(32),
  coordinatorUserId: entityIdSchema.optional(),
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
