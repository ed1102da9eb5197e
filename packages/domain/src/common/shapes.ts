import * as z from './zod';

/* Small shapes every capability's schemas reuse. Internal to the package: not exported from its root. */

/** A timestamp as stored (ISO 8601, never empty). */
export const isoTime = z.string().check(z.minLength(1));
/** A calendar day, yyyy-mm-dd. */
export const day = z.iso.date();
/** The optimistic-locking version of a record. */
export const version = z.int().check(z.minimum(1));
/** A count of things. */
export const count = z.int().check(z.minimum(0));
