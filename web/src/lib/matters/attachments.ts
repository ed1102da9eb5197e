import { UPLOAD_LIMITS } from '@gridline/domain/uploads/limits';
import type { MessageKey } from '../i18n';
import { sizeText } from '../imports/files';

/*
 * Photos and documents on a matter (事件附件): what the picker accepts before anything is sent (the
 * domain's limits for `attachment` uploads) and where a read link points. Sending and linking are
 * `attachments` in api.ts. The server checks the bytes again; this only spares a phone a
 * pointless upload and says why.
 */

const LIMITS = UPLOAD_LIMITS.attachment;

/** What the file input offers: the types attachments accept. */
export const ATTACHMENT_ACCEPT = Object.keys(LIMITS).join(',');
/** Attachments one intake or action may carry (the API's limit). */
export const MAX_ATTACHMENTS = 20;

const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

/** The type a file is uploaded as: the browser's when it is one attachments accept, else by its extension. */
export function attachmentType(file: Pick<File, 'name' | 'type'>): string | undefined {
  if (file.type && LIMITS[file.type] !== undefined) return file.type;
  const ext = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return BY_EXTENSION[ext];
}

export type AttachmentProblem = { key: MessageKey; params?: Record<string, string | number> };

/** Why a chosen file cannot be attached (wrong type, empty, too large for its type), or undefined. */
export function attachmentProblem(file: Pick<File, 'name' | 'type' | 'size'>): AttachmentProblem | undefined {
  const type = attachmentType(file);
  if (!type) return { key: 'matters.files.wrongType', params: { name: file.name } };
  if (file.size === 0) return { key: 'matters.files.empty', params: { name: file.name } };
  const max = LIMITS[type] as number;
  if (file.size > max)
    return {
      key: 'matters.files.tooBig',
      params: { name: file.name, size: sizeText(file.size), limit: `${Math.floor(max / (1024 * 1024))} MB` },
    };
  return undefined;
}

export const isImageType = (type: string) => type.startsWith('image/');

/**
 * Where a link points, as an absolute address: a bucket's presigned URL as it is, a local `/blobs/<token>`
 * path resolved against the API's base (the local server serves both on one origin).
 */
export function linkHref(url: string, apiBase: string, pageHref: string): string {
  return new URL(url, new URL(apiBase, pageHref)).href;
}
