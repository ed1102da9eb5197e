import * as z from './common/zod';
import { ENTITY_ID_PATTERN, TOWN_ID_PATTERN, USERNAME_PATTERN } from './rules';

/** Town ids are lower-case slugs; they become key prefixes, so `#` and upper case are impossible. */
export const townIdSchema = z
  .string()
  .check(z.regex(TOWN_ID_PATTERN, 'town id: 3–32 lower-case letters, digits or hyphens, starting with a letter'));
export type TownId = z.infer<typeof townIdSchema>;

/** Ids of things inside a town (communities, grids, courtyards, users): short, key-safe. */
export const entityIdSchema = z.string().check(z.regex(ENTITY_ID_PATTERN, 'id: letters, digits, dot, _ or -'));

/** A username as the identity provider keeps it. */
export const usernameSchema = z.string().check(z.regex(USERNAME_PATTERN, 'username: 3–64 lower-case letters, digits, dot, _ or -'));

/** A time-ordered, key-safe id (kept in its own module so the browser can import it without zod). */
export { newId } from './new-id';
