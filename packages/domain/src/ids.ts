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

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A time-ordered, key-safe id: 10 characters of time and 16 random (80 bits), Crockford base32. */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // Web Crypto, not `node:crypto`: the domain runs in the browser too.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = '';
  for (const b of bytes) rand += CROCKFORD[b % 32];
  return time + rand;
}
