import { boundRoutes } from '@gridline/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack({ routes: boundRoutes });
  token = await stack.token('qingshi.admin');
});
afterAll(() => stack.close());

// `{}` is JSON but not a valid community, so a body that gets past the media type answers 400 request.invalid.
const send = (type: string, rawBody = '{}') =>
  stack.call('POST', '/town/communities', { token, rawBody, headers: { 'content-type': type } });
const codeOf = (r: { body: unknown }) => (r.body as Json).error?.code;

describe('request bodies', () => {
  it('a JSON route answers 415 to a body declared as anything but JSON', async () => {
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
    ]) {
      const r = await send(type);
      expect([type, r.status, codeOf(r)]).toEqual([type, 415, 'request.unsupported_media_type']);
      expect((r.body as Json).error).toMatchObject({ field: 'body', requestId: expect.any(String) });
    }
  });

  it('takes application/json with parameters and +json types; declared JSON that does not parse stays a 400', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json']) {
      const r = await send(type);
      expect([type, r.status, codeOf(r)]).toEqual([type, 400, 'request.invalid']);
    }
    const broken = await send('application/json', '{"name"');
    expect([broken.status, codeOf(broken)]).toEqual([400, 'request.malformed_json']);
  });
});
