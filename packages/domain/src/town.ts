import * as z from 'zod';
import { townIdSchema, usernameSchema } from './ids';
import { TOWN_KINDS } from './rules';

export const townStatusSchema = z.enum(['active', 'suspended']);
export type TownStatus = z.infer<typeof townStatusSchema>;

const displayName = z.string().trim().min(1).max(64);

/** What county IT sends to provision a town; the same spec again is a no-op, a different one a conflict. */
export const townSpecSchema = z.strictObject({
  name: displayName,
  nameEn: z.string().trim().min(1).max(96).optional(),
  kind: z.enum(TOWN_KINDS).default('town'),
  admin: z.strictObject({
    username: usernameSchema,
    displayName,
  }),
});
export type TownSpec = z.infer<typeof townSpecSchema>;

export const townIdParams = z.strictObject({ townId: townIdSchema });

/** Compares the parts of a spec that define a town; used to tell a replay from a conflicting request. */
export function sameTownSpec(a: TownSpec, b: TownSpec): boolean {
  return (
    a.name === b.name &&
    (a.nameEn ?? null) === (b.nameEn ?? null) &&
    a.kind === b.kind &&
    a.admin.username === b.admin.username &&
    a.admin.displayName === b.admin.displayName
  );
}
