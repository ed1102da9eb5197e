import { isoTime, line } from '../common/shapes';
import * as z from '../common/zod';
import { type TownRole, TOWN_STAFF_ROLES } from '../rules';
import { MB, UPLOAD_PURPOSES } from './limits';

/*
 * Files that go straight to storage: a slot is asked for (the declared name, type and size are checked
 * against the limits in limits.ts), the browser posts the bytes to the form the slot carries, and completing the
 * slot checks what was stored (size, the type its first bytes show, location metadata stripped) before the
 * file is usable. Reading a file is a short-lived link, given only to whoever may see it.
 */

export { MB, UPLOAD_LIMITS, UPLOAD_PURPOSES, type UploadPurpose, XLSX_TYPE } from './limits';

/** How long a slot's upload form is good for, and how long a download link lives (seconds). */
export const UPLOAD_WINDOW_SECONDS = 10 * 60;
export const UPLOAD_LINK_SECONDS = 5 * 60;

/**
 * The tag a posted original carries in storage until it expires (the uploads bucket's lifecycle rule):
 * unchecked bytes, location metadata and all, are never kept. The checked copy carries no tag.
 */
export const INCOMING_UPLOAD_TAG = { key: 'gridline-stage', value: 'incoming' } as const;
/** Days a posted original is kept (long enough for any slot to be completed). */
export const INCOMING_UPLOAD_DAYS = 2;

export { uploadLimit } from './limits';

/** Who may ask for an upload slot (the read-only auditor may not). */
export const UPLOAD_WRITE: readonly TownRole[] = ['town_admin', 'community_staff', 'grid_coordinator', 'mediator'];
/** Who may ask for a download link; whether the file may be read is decided per upload (`mayReadUpload`). */
export const UPLOAD_READ: readonly TownRole[] = TOWN_STAFF_ROLES;

export const uploadIdSchema = z.string().check(z.regex(/^u-[a-z0-9]{10,40}$/));

/** A request for an upload slot. */
export const newUploadSchema = z.strictObject({
  purpose: z.enum(UPLOAD_PURPOSES),
  fileName: line(120),
  contentType: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  size: z.int().check(z.minimum(1), z.maximum(1024 * MB)),
});
export type NewUpload = z.infer<typeof newUploadSchema>;

export const UPLOAD_STATUSES = ['pending', 'ready'] as const;

/** An upload as the API shows it. */
export const uploadViewSchema = z.object({
  uploadId: uploadIdSchema,
  purpose: z.enum(UPLOAD_PURPOSES),
  fileName: z.string(),
  contentType: z.string(),
  /** The declared size while pending; the size of the checked file once ready. */
  size: z.int(),
  status: z.enum(UPLOAD_STATUSES),
  by: z.string(),
  createdAt: isoTime,
  completedAt: z.optional(isoTime),
  /** Whether location metadata was found in the image and removed. */
  locationStripped: z.optional(z.boolean()),
});
export type UploadView = z.infer<typeof uploadViewSchema>;

/** A form to POST the file to: the URL and the fields to send before the file (named `file`). */
export const uploadFormSchema = z.object({ url: z.string().check(z.minLength(1)), fields: z.record(z.string(), z.string()) });
export type UploadForm = z.infer<typeof uploadFormSchema>;

/** A new slot: where and until when to send the file, and the most bytes accepted. */
export const uploadSlotSchema = z.object({
  uploadId: uploadIdSchema,
  form: uploadFormSchema,
  expiresAt: isoTime,
  maxBytes: z.int(),
  upload: uploadViewSchema,
});
export type UploadSlot = z.infer<typeof uploadSlotSchema>;

/** A short-lived download link. */
export const uploadLinkSchema = z.object({ url: z.string().check(z.minLength(1)), expiresAt: isoTime });
export type UploadLink = z.infer<typeof uploadLinkSchema>;
