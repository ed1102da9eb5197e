import {
  changePostSchema,
  dutiesVersionSchema,
  newDutiesSchema,
  newPostSchema,
  postCatalogueSchema,
  postDetailSchema,
  postIdSchema,
  postWithDutiesSchema,
  TOWN_ADMIN,
} from '@gridline/domain';
import * as z from '@gridline/domain/zod';
import { type RouteSpec, TOWN_ANY } from '../spec';

const postParams = z.strictObject({ postId: postIdSchema });

/** A town route over the post catalogue: every town role reads it (a coordinator reads their duties); who wrote what is named, so never cached. */
const posts = <const T extends Omit<RouteSpec, 'area' | 'audience' | 'personal'>>(r: T) =>
  ({ ...r, area: 'town', audience: 'town', personal: true }) as const;

/** Posts and duties (定岗定责): the catalogue, each post's history and versioned duties; town admins change them. */
export const postRoutes = {
  listPosts: posts({
    id: 'posts.list',
    response: postCatalogueSchema,
    method: 'GET',
    path: '/town/posts',
    roles: TOWN_ANY,
    summary: "The town's post catalogue (定岗), retired posts included, each with its current duties",
  }),
  addPost: posts({
    id: 'posts.add',
    success: [201],
    response: postWithDutiesSchema,
    method: 'POST',
    path: '/town/posts',
    roles: TOWN_ADMIN,
    body: newPostSchema,
    summary: 'Add a post to the catalogue',
  }),
  getPost: posts({
    id: 'posts.get',
    response: postDetailSchema,
    method: 'GET',
    path: '/town/posts/{postId}',
    roles: TOWN_ANY,
    params: postParams,
    summary: 'One post: its current duties, its history and every duties version',
  }),
  changePost: posts({
    id: 'posts.change',
    response: postWithDutiesSchema,
    method: 'PATCH',
    path: '/town/posts/{postId}',
    roles: TOWN_ADMIN,
    params: postParams,
    body: changePostSchema,
    summary: 'Rename, retire or restore a post at the version read (a post someone holds is not retired)',
  }),
  writeDuties: posts({
    id: 'posts.duties.write',
    response: postWithDutiesSchema,
    method: 'PUT',
    path: '/town/posts/{postId}/duties',
    roles: TOWN_ADMIN,
    params: postParams,
    body: newDutiesSchema,
    summary: "Write a new version of a post's duties (定责), against the version read",
  }),
  getDutiesVersion: posts({
    id: 'posts.duties.get',
    response: dutiesVersionSchema,
    method: 'GET',
    path: '/town/posts/{postId}/duties/{version}',
    roles: TOWN_ANY,
    // A path parameter is text: the version number, 1 to 999999.
    params: z.strictObject({ postId: postIdSchema, version: z.string().check(z.regex(/^[1-9][0-9]{0,5}$/, 'version: 1–999999')) }),
    summary: "One version of a post's duties",
  }),
} as const;
