import * as z from './zod';

/*
 * What the API answers with, one zod schema per shape, beside the request schemas of its capability
 * (../org, ../towns, ../book, ../imports, ../rollups). The route table names one per route; the OpenAPI
 * document is generated from them and the test runs check every response against its route's schema.
 * Objects are open (extra fields pass) so that adding a field is never a breaking change; a missing or
 * mistyped field fails. This module holds the shapes every capability shares.
 */

/** A text in both UI languages. */
export const labelSchema = z.object({ zh: z.string(), en: z.string() });

/** The stable error body of every 4xx and 5xx the API itself answers. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().check(z.minLength(1), z.describe('Dotted, stable code, e.g. `town.conflict`')),
    message: z.string().check(z.describe('Safe to show to the user')),
    field: z.optional(z.string()).check(z.describe('The input the error is about, e.g. `body.admin.username`')),
    requestId: z.string(),
  }),
  /** On some conflicts (409), the record as it stands now, e.g. the matter someone acted on first. */
  current: z.optional(z.unknown()),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A page of a listing; `nextCursor` is null on the last page. */
export const pageOf = <T extends z.core.$ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
export type Page<T> = { items: T[]; nextCursor: string | null };

export const healthSchema = z.object({ ok: z.literal(true) });
/** Readiness: the process answers and the table answered a read. */
export const readySchema = z.object({ ok: z.literal(true), database: z.literal('ok') });

/** A file the API sends inline (base64 in JSON). */
export const inlineFileSchema = z.object({ fileName: z.string(), contentBase64: z.string() });
export type InlineFile = z.infer<typeof inlineFileSchema>;
