import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { define, routeKey } from '../spec';
import { bindLater, bindNow, type Handlers } from './bind';
import type { Event } from './route';

const group = {
  ping: define({ id: 'test.ping', method: 'GET', path: '/ping', area: 'public', audience: 'public', roles: [], summary: 'ping' }),
  pong: define({ id: 'test.pong', method: 'GET', path: '/pong', area: 'public', audience: 'public', roles: [], summary: 'pong' }),
} as const;

const handlers: Handlers<typeof group> = {
  ping: async () => ({ body: { said: 'ping' } }),
  pong: async () => ({ body: { said: 'pong' } }),
};

function event(path: string): Event {
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' }, requestId: 'req-1' },
  } as Event;
}
const ctx = {} as Context;

describe('binding a group of routes', () => {
  it('binds every route of the group to its own handler, named by the route id', async () => {
    const bound = bindNow(group, handlers);
    expect(bound.map((b) => routeKey(b.spec))).toEqual(['GET /ping', 'GET /pong']);
    expect(bound.map((b) => b.handler.name)).toEqual(['test.ping', 'test.pong']);
    const res = await (bound[1]?.handler(event('/pong'), ctx) ?? Promise.reject(new Error('unbound')));
    expect(JSON.parse(res.body ?? 'null')).toEqual({ said: 'pong' });
  });

  it('loads the handlers of a later group on its first request, not when binding', async () => {
    let loads = 0;
    const bound = bindLater(group, async () => {
      loads += 1;
      return handlers;
    });
    expect(loads).toBe(0);
    const res = await (bound[0]?.handler(event('/ping'), ctx) ?? Promise.reject(new Error('unbound')));
    expect(JSON.parse(res.body ?? 'null')).toEqual({ said: 'ping' });
    expect(loads).toBe(1);
  });

  it('refuses, at typecheck, a missing or misspelt handler', () => {
    // @ts-expect-error: `pong` has no handler
    bindNow(group, { ping: handlers.ping });
    // @ts-expect-error: `pnog` is not a route of the group, and `pong` is missing
    bindLater(group, async () => ({ ping: handlers.ping, pnog: handlers.pong }));
    expect(true).toBe(true);
  });
});
