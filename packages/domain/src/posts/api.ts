import { count, day, isoTime, line, paragraph, version } from '../common/shapes';
import * as z from '../common/zod';

/*
 * Posts (定岗) and duties (定责): the town's post catalogue — the seven posts of provisioning, then as
 * each town adds, renames, retires and restores them — and the written duties of each post, versioned.
 * The rules are in ./rules; `@gridline/data` (posts/) keeps them.
 */

/** A post's id: lower-case letters, digits and `_`, starting with a letter (the seven defaults are such). */
export const postIdSchema = z.string().check(z.regex(/^[a-z][a-z0-9_]{1,31}$/, 'post id: 2–32 lower-case letters, digits or _'));
/** A post's name in both languages, as the pages show it. */
export const postLabelSchema = z.strictObject({ zh: line(20), en: line(60) });

/** Adding a post (town admins). */
export const newPostSchema = z.strictObject({ postId: postIdSchema, label: postLabelSchema });
/**
 * Changing a post at the version read: a new name (`label`), retiring it (`retired: true`) or restoring
 * it (`retired: false`) — one or both in one change.
 */
export const changePostSchema = z.strictObject({
  version,
  label: z.optional(postLabelSchema),
  retired: z.optional(z.boolean()),
});
/** A new version of a post's duties (定责). `version` is the duties version read (0 when there were none). */
export const newDutiesSchema = z.strictObject({
  version: count,
  text: paragraph(4000),
  effectiveFrom: day,
});

export type NewPost = z.infer<typeof newPostSchema>;
export type ChangePost = z.infer<typeof changePostSchema>;
export type NewDuties = z.infer<typeof newDutiesSchema>;

/** One version of a post's duties, as written. */
export const dutiesVersionSchema = z.object({
  version: version,
  text: z.string(),
  effectiveFrom: day,
  by: z.string(),
  at: isoTime,
});
export type DutiesVersion = z.infer<typeof dutiesVersionSchema>;

/** A post of the catalogue. `dutiesVersion` is 0 while no duties are written. */
export const postSchema = z.object({
  postId: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  retired: z.boolean(),
  version,
  dutiesVersion: count,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type PostView = z.infer<typeof postSchema>;

/** A post with its current duties (null while none are written). */
export const postWithDutiesSchema = z.extend(postSchema, { duties: z.nullable(dutiesVersionSchema) });
export type PostWithDuties = z.infer<typeof postWithDutiesSchema>;

/** The catalogue, in order of the post ids (the seven defaults first, then those added, by when). */
export const postCatalogueSchema = z.object({ posts: z.array(postWithDutiesSchema) });
export type PostCatalogue = z.infer<typeof postCatalogueSchema>;

/** One change of a post (added, renamed, retired, restored, duties written). */
export const postEventSchema = z.object({
  eventId: z.string(),
  at: isoTime,
  actor: z.string(),
  kind: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type PostEventView = z.infer<typeof postEventSchema>;

/** One post: its current state and duties, its history (oldest first) and every duties version (newest first). */
export const postDetailSchema = z.object({
  post: postWithDutiesSchema,
  history: z.array(postEventSchema),
  duties: z.array(dutiesVersionSchema),
});
export type PostDetail = z.infer<typeof postDetailSchema>;
