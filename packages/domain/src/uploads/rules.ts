import { canReadMatter } from '../matters/rules';
import { AppError } from '../errors';
import type { TownPrincipal } from '../principal';
import { TOWN_ADMIN } from '../rules';
import { type UploadPurpose, UPLOAD_WRITE, uploadLimit } from './api';

/** What a read decision needs to know about an upload. */
export type UploadFacts = { purpose: UploadPurpose; by: string };

const tooLarge = (max: number) =>
  new AppError('upload.too_large', 413, `The file is larger than the ${Math.floor(max / (1024 * 1024))} MB allowed for it.`, {
    field: 'body.size',
  });

/**
 * Checks a slot request before anything is stored: the caller may upload for this purpose, the type is
 * one the purpose accepts, and the declared size is within its limit. Answers the limit in bytes.
 */
export function admitUpload(principal: TownPrincipal, purpose: UploadPurpose, contentType: string, size: number): number {
  const allowed = purpose === 'book_import' ? TOWN_ADMIN : UPLOAD_WRITE;
  if (!allowed.includes(principal.role)) throw new AppError('upload.forbidden', 403, 'Your role may not upload files for this.');
  const max = uploadLimit(purpose, contentType);
  if (max === undefined)
    throw new AppError('upload.type_not_allowed', 415, 'This kind of file is not accepted here.', { field: 'body.contentType' });
  if (size > max) throw tooLarge(max);
  return max;
}

/** The refusal for a stored file over its limit (the form's own limit should have stopped it). */
export const uploadTooLarge = tooLarge;

/**
 * Whether a town user may read an upload of their own town. Book files: the town admins, who alone may
 * import. Attachments: whoever uploaded it, and, once it is attached to a matter, whoever may read
 * that matter (`canReadMatter`: its grid's coordinator, its community's staff, the town's admins).
 */
export function mayReadUpload(principal: TownPrincipal, upload: UploadFacts, matter?: MatterPlace): boolean {
  if (upload.purpose === 'book_import') return TOWN_ADMIN.includes(principal.role);
  return mayReadAttachment(principal, upload, matter);
}

/** Where a matter lies: what `canReadMatter` needs to decide who sees its attachments. */
export type MatterPlace = { townId: string; gridId: string; communityId: string };

/** Attachments: the uploader, and the readers of the matter it is attached to (none while it is loose). */
export function mayReadAttachment(principal: TownPrincipal, upload: UploadFacts, matter?: MatterPlace): boolean {
  if (upload.by === principal.username) return true;
  return matter !== undefined && canReadMatter(principal, matter);
}
