import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll } from 'vitest';
import { startTestStack, type TestStack } from './stack';

/** A response body as the API tests read it: any JSON object, with the API's error shape. */
export type Json = Record<string, unknown> & { error?: { code: string; field?: string; message: string } };

/**
 * The API tests' stack: started with the bound routes before this file's tests (and closed after),
 * with a token for each of `users`. `call(who, method, path, body?)` calls the API as that user.
 */
export function apiStack(users: readonly string[]) {
  let stack: TestStack;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    stack = await startTestStack({ routes: boundRoutes });
    for (const u of users) tokens[u] = await stack.token(u);
  });
  afterAll(() => stack.close());

  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const r = await stack.call(method, path, { token: tokens[who], ...(body === undefined ? {} : { body }) });
    return { ...r, json: r.body as Json };
  };
  return { call };
}
