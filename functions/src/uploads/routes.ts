import {
  newUploadSchema,
  UPLOAD_READ,
  UPLOAD_WRITE,
  uploadIdSchema,
  uploadLinkSchema,
  uploadSlotSchema,
  uploadViewSchema,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import type { RouteSpec } from '../spec';

/** A town route over uploaded files: their names and contents may be personal, so never cached. */
const upload = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

const uploadParams = z.strictObject({ uploadId: uploadIdSchema });

/**
 * Files go to storage directly, never through the API (decision 98): a slot with a signed POST form, then
 * `complete` checks what arrived and keeps a clean copy; reading is a short-lived link. Who may read is
 * decided per upload (`mayReadUpload`), so the link route admits every town role.
 */
export const uploadRoutes = {
  createUpload: upload({
    id: 'upload.create',
    success: [201],
    response: uploadSlotSchema,
    method: 'POST',
    path: '/town/uploads',
    roles: UPLOAD_WRITE,
    body: newUploadSchema,
    summary: 'Ask for an upload slot: the declared type and size are checked, the answer is a signed form to post the file to',
  }),
  completeUpload: upload({
    id: 'upload.complete',
    response: uploadViewSchema,
    method: 'POST',
    path: '/town/uploads/{uploadId}/complete',
    roles: UPLOAD_WRITE,
    params: uploadParams,
    summary: 'Check the posted file (size, real type) and strip location metadata from images; the upload is then ready',
  }),
  uploadLink: upload({
    id: 'upload.link',
    response: uploadLinkSchema,
    method: 'GET',
    path: '/town/uploads/{uploadId}/link',
    roles: UPLOAD_READ,
    params: uploadParams,
    summary: 'A download link to a ready upload, valid for five minutes, for whoever may see it',
  }),
} as const;
