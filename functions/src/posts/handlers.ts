import { postsOf } from '@gridline/data/posts';
import type { RouteRequest } from '../pipeline/route';
import type { postRoutes } from './routes';

// The post catalogue's routes (定岗定责): loaded on the first such request.
type R<K extends keyof typeof postRoutes> = RouteRequest<(typeof postRoutes)[K]>;

export const listPosts = async ({ principal }: R<'listPosts'>) => ({ body: await postsOf(principal).catalogue() });
export const addPost = async ({ principal, body, now }: R<'addPost'>) => ({ status: 201, body: await postsOf(principal).add(body, now) });
export const getPost = async ({ principal, params }: R<'getPost'>) => ({ body: await postsOf(principal).get(params.postId) });
export const changePost = async ({ principal, params, body, now }: R<'changePost'>) => ({
  body: await postsOf(principal).change(params.postId, body, now),
});
export const writeDuties = async ({ principal, params, body, now }: R<'writeDuties'>) => ({
  body: await postsOf(principal).writeDuties(params.postId, body, now),
});
export const getDutiesVersion = async ({ principal, params }: R<'getDutiesVersion'>) => ({
  body: await postsOf(principal).dutiesVersion(params.postId, Number(params.version)),
});
