import { api } from '../api';
import type { ChangePost, DutiesVersion, NewDuties, NewPost, PostCatalogue, PostDetail, PostWithDuties } from '@gridline/domain';

/**
 * The post catalogue's calls to the API (functions/src/posts/routes.ts): the catalogue with current
 * duties, one post with its history and duties versions, adding, renaming, retiring or restoring a post,
 * and writing a new version of its duties (定岗定责).
 */

const p = (postId: string) => `/town/posts/${encodeURIComponent(postId)}`;

export const posts = {
  catalogue: () => api.get<PostCatalogue>('/town/posts').then((c) => c.posts),
  get: (postId: string) => api.get<PostDetail>(p(postId)),
  add: (body: NewPost) => api.post<PostWithDuties>('/town/posts', body),
  change: (postId: string, body: ChangePost) => api.patch<PostWithDuties>(p(postId), body),
  /** PUT answers with its status too; the post after the change is its body. */
  writeDuties: (postId: string, body: NewDuties) => api.put<PostWithDuties>(`${p(postId)}/duties`, body).then((r) => r.body),
  dutiesVersion: (postId: string, version: number) => api.get<DutiesVersion>(`${p(postId)}/duties/${version}`),
};

/** Whether a post code is one the API accepts (2–32 lower-case letters, digits or _, a letter first). */
export const validPostId = (id: string) => /^[a-z][a-z0-9_]{1,31}$/.test(id);
