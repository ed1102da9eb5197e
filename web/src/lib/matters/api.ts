import { api, loadConfig, type SendOptions, sendToStorage } from '../api';
import { uploadName } from '../imports/files';
import { linkHref } from './attachments';
import type {
  AppNotification,
  LadderConfig,
  MatterActionInput,
  MatterBoard,
  MatterCategory,
  MatterCategoryBody,
  MatterCategoryChange,
  MatterDetail,
  MatterIntake,
  MatterLevel,
  MatterPage,
  MatterQueue,
  UploadLink,
  UploadSlot,
  UploadView,
} from '@gridline/domain';

/**
 * Matters' calls to the API (functions/src/matters/routes.ts): intake, the queues, a matter's page and
 * its actions, the supervision board, the category catalogue, the ladder and the caller's notifications.
 */

/** What a queue is asked for: the queue and what it needs (a level and place, a category, a grid), and the page. */
export type QueueRequest = {
  queue: MatterQueue;
  level?: MatterLevel;
  place?: string;
  categoryId?: string;
  gridId?: string;
  cursor?: string | null;
};

export type LadderView = { ladder: LadderConfig; version: number };

const m = (matterId: string) => `/town/matters/${encodeURIComponent(matterId)}`;
const c = (categoryId: string) => `/town/matter-categories/${encodeURIComponent(categoryId)}`;

export const matters = {
  raise: (body: MatterIntake) => api.post<MatterDetail>('/town/matters', body),
  list: (q: QueueRequest) => api.get<MatterPage>('/town/matters', { ...q }),
  get: (matterId: string) => api.get<MatterDetail>(m(matterId)),
  /** One action at the version read; a 409 carries the matter as it stands (`ApiError.current`). */
  act: (matterId: string, body: MatterActionInput) => api.post<MatterDetail>(`${m(matterId)}/actions`, body),
  board: () => api.get<MatterBoard>('/town/matter-board'),
  categories: () => api.get<{ categories: MatterCategory[] }>('/town/matter-categories').then((r) => r.categories),
  /** A new category (no version) or a change at the version read. */
  saveCategory: (categoryId: string, body: MatterCategoryBody) => api.put<MatterCategory>(c(categoryId), body).then((r) => r.body),
  categoryHistory: (categoryId: string) =>
    api.get<{ categoryId: string; changes: MatterCategoryChange[] }>(`${c(categoryId)}/history`).then((r) => r.changes),
  ladder: () => api.get<LadderView>('/town/matter-ladder'),
  saveLadder: (body: LadderView) => api.put<LadderView>('/town/matter-ladder', body).then((r) => r.body),
  notifications: () => api.get<{ items: AppNotification[] }>('/town/notifications').then((r) => r.items),
};

const u = (uploadId: string) => `/town/uploads/${encodeURIComponent(uploadId)}`;

/** Photos and documents for a matter's intake and actions: sending one, and a fresh link to read one. */
export const attachments = {
  /** Sends one file (slot, storage with progress, the server's check) and answers its upload id. */
  send: async (file: File, contentType: string, send: SendOptions): Promise<string> => {
    const slot = await api.post<UploadSlot>('/town/uploads', {
      purpose: 'attachment',
      fileName: uploadName(file.name),
      contentType,
      size: file.size,
    });
    await sendToStorage(slot.form, file, send);
    await api.post<UploadView>(`${u(slot.uploadId)}/complete`);
    return slot.uploadId;
  },
  /** A fresh five-minute link to an attachment, as an absolute address. */
  link: async (uploadId: string): Promise<string> => {
    const [link, config] = await Promise.all([api.get<UploadLink>(`${u(uploadId)}/link`), loadConfig()]);
    return linkHref(link.url, config.apiBase, location.href);
  },
};
