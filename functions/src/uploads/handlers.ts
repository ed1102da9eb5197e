import { uploadsOf } from '@gridline/data/uploads';
import type { RouteRequest } from '../pipeline/route';
import type { uploadRoutes } from './routes';

// Uploads: slots, completion (the byte checks and location stripping) and links; loaded on first use.
type R<K extends keyof typeof uploadRoutes> = RouteRequest<(typeof uploadRoutes)[K]>;

export const createUpload = async ({ principal, body, now }: R<'createUpload'>) => ({
  status: 201,
  body: await uploadsOf(principal).createSlot(body, now),
});
export const completeUpload = async ({ principal, params, now }: R<'completeUpload'>) => ({
  body: await uploadsOf(principal).complete(params.uploadId, now),
});
export const uploadLink = async ({ principal, params, now }: R<'uploadLink'>) => ({
  body: await uploadsOf(principal).link(params.uploadId, now),
});
