import { charCount, isCleanLine, isCleanText } from '../fields';
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

/**
 * A single line as staff type it (a name, a door, a document number): trimmed, not empty, no line breaks,
 * control characters or runs of spaces, at most `max` characters (../fields counts them as people do).
 */
export const line = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.refine(isCleanLine, { message: 'Single-line text: no line breaks, control characters or runs of spaces.' }),
    z.refine((s) => charCount(s) <= max, { message: `At most ${max} characters.` }),
  );

/** Free text (findings, reasons): trimmed, not empty, line breaks allowed, no control characters, at most `max` characters. */
export const paragraph = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.refine(isCleanText, { message: 'No control characters.' }),
    z.refine((s) => charCount(s) <= max, { message: `At most ${max} characters.` }),
  );
