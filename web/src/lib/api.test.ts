import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';

// Navigation is SvelteKit's router, absent in Node: a spy shows where a failure would send the user.
const goto = vi.hoisted(() => vi.fn(async (_url: string, _opts?: unknown) => {}));
vi.mock('$app/navigation', () => ({ goto }));

import { ApiError, api, connection, RETRY_DELAYS } from './api';
import { session } from './session';

const API_BASE = 'http://api.test/api';

/** What the app sent: method, path and the headers that matter here. */
type Sent = { method: string; url: string; key: string | undefined; auth: string | undefined; body: string | undefined };

/**
 * The network is mocked: `fetch` is replaced by a scripted server (there is no API to reach in a unit
 * test). /config.json always answers; each API call takes the next scripted answer, where `'down'`
 * is a failed connection (fetch rejects, as a browser's does when offline).
 */
function scriptedServer(answers: Array<{ status: number; body?: unknown } | 'down'>) {
  const sent: Sent[] = [];
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    if (url === '/config.json') {
      return new Response(JSON.stringify({ mode: 'local', apiBase: API_BASE, authBase: 'http://api.test/auth' }), { status: 200 });
    }
    const headers = (init.headers ?? {}) as Record<string, string>;
    sent.push({
      method: init.method ?? 'GET',
      url,
      key: headers['idempotency-key'],
      auth: headers.authorization,
      body: typeof init.body === 'string' ? init.body : undefined,
    });
    const next = answers.shift();
    if (next === undefined) throw new Error(`unscripted request ${init.method} ${url}`);
    if (next === 'down') throw new TypeError('Failed to fetch');
    return new Response(next.body === undefined ? '' : JSON.stringify(next.body), { status: next.status });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { sent, fetchMock };
}

/** Records every notice the connection store shows, in order. */
function noticesSeen() {
  const seen: unknown[] = [];
  const stop = connection.subscribe((n) => seen.push(n));
  return { seen, stop };
}

const unavailable = { status: 503, body: { error: { code: 'service.unavailable', message: 'try again', requestId: 'r-503' } } };

beforeEach(() => {
  vi.useFakeTimers();
  goto.mockClear();
  connection.set(null);
  session.set({
    token: 'header.payload.sig',
    expiresAt: Date.now() + 3_600_000,
    user: { username: 'wang', displayName: 'Wang', role: 'town_admin', townId: 'town-a' },
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  session.set(null);
});

describe('the web API client retries', () => {
  it('resends a write after a 503 with the same idempotency key, says it is retrying, then that it went through', async () => {
    const { sent } = scriptedServer([unavailable, unavailable, { status: 201, body: { communityId: 'c1' } }]);
    const { seen, stop } = noticesSeen();

    const result = api.post<{ communityId: string }>('/town/communities', { name: '东风社区', kind: 'urban' });
    await vi.advanceTimersByTimeAsync(RETRY_DELAYS[0] ?? 0);
    expect(get(connection)).toEqual({ state: 'retrying', attempt: 2 });
    await vi.advanceTimersByTimeAsync(RETRY_DELAYS[1] ?? 0);

    await expect(result).resolves.toEqual({ communityId: 'c1' });
    expect(sent).toHaveLength(3);
    const key = sent[0]?.key;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    for (const s of sent) {
      expect(s).toMatchObject({ method: 'POST', url: `${API_BASE}/town/communities`, key, auth: 'Bearer header.payload.sig' });
      expect(JSON.parse(s.body ?? '')).toEqual({ name: '东风社区', kind: 'urban' });
    }
    expect(seen).toEqual([null, { state: 'retrying', attempt: 1 }, { state: 'retrying', attempt: 2 }, { state: 'recovered' }]);

    // The "went through" notice clears itself after a few seconds.
    await vi.advanceTimersByTimeAsync(6000);
    expect(get(connection)).toBeNull();
    stop();
  });

  it('resends after a failed connection with the same key', async () => {
    const { sent } = scriptedServer(['down', { status: 200, body: { version: 2 } }]);
    const { seen, stop } = noticesSeen();

    const result = api.patch<{ version: number }>('/town/grids/g1', { version: 1, name: '一网格' });
    await vi.advanceTimersByTimeAsync(RETRY_DELAYS[0] ?? 0);

    await expect(result).resolves.toEqual({ version: 2 });
    expect(sent.map((s) => s.method)).toEqual(['PATCH', 'PATCH']);
    expect(sent[1]?.key).toBe(sent[0]?.key);
    expect(seen).toEqual([null, { state: 'retrying', attempt: 1 }, { state: 'recovered' }]);
    stop();
  });

  it('gives each action a key of its own', async () => {
    const { sent } = scriptedServer([
      { status: 201, body: {} },
      { status: 201, body: {} },
    ]);
    await api.post('/town/communities', { name: 'a', kind: 'urban' });
    await api.post('/town/communities', { name: 'a', kind: 'urban' });
    expect(sent[0]?.key).toBeDefined();
    expect(sent[1]?.key).toBeDefined();
    expect(sent[1]?.key).not.toBe(sent[0]?.key);
  });

  it('sends no key on a read, and retries it too', async () => {
    const { sent } = scriptedServer([unavailable, { status: 200, body: { items: [], cursor: null } }]);
    const result = api.get('/town/staff', { limit: 10, cursor: null });
    await vi.advanceTimersByTimeAsync(RETRY_DELAYS[0] ?? 0);
    await expect(result).resolves.toEqual({ items: [], cursor: null });
    expect(sent.map((s) => [s.method, s.url, s.key])).toEqual([
      ['GET', `${API_BASE}/town/staff?limit=10`, undefined],
      ['GET', `${API_BASE}/town/staff?limit=10`, undefined],
    ]);
  });

  it('does not retry a 4xx: the error comes back at once with its code, field and request id', async () => {
    const { sent } = scriptedServer([
      { status: 400, body: { error: { code: 'validation', message: 'name is required', field: 'body.name', requestId: 'r-400' } } },
    ]);
    const { seen, stop } = noticesSeen();

    const error = await api.post('/town/communities', { name: '', kind: 'urban' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation', field: 'body.name', requestId: 'r-400' });
    expect(sent).toHaveLength(1);
    expect(seen).toEqual([null]);
    expect(vi.getTimerCount()).toBe(0);
    stop();
  });

  it('does not retry a 409 or a 429 either', async () => {
    const { sent } = scriptedServer([
      { status: 409, body: { error: { code: 'org.version_conflict', message: 'changed', requestId: 'r-409' } } },
      { status: 429, body: { message: 'Too Many Requests' } },
    ]);
    await expect(api.patch('/town/grids/g1', { version: 1 })).rejects.toMatchObject({ status: 409, code: 'org.version_conflict' });
    await expect(api.post('/town/communities', {})).rejects.toMatchObject({ status: 429, code: 'data.throttled' });
    expect(sent).toHaveLength(2);
  });

  it('keeps the record a 409 carries as it stands now', async () => {
    const current = { matter: { matterId: 'm1', version: 4 } };
    scriptedServer([{ status: 409, body: { error: { code: 'matter.version_conflict', message: 'changed', requestId: 'r' }, current } }]);
    const error = await api.post('/town/matters/m1/actions', { action: 'accept', version: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'matter.version_conflict', current });
  });

  it('gives up after the last delay, clears the notice and reports the 503, all tries with one key', async () => {
    const { sent } = scriptedServer(Array.from({ length: RETRY_DELAYS.length + 1 }, () => unavailable));
    const { seen, stop } = noticesSeen();

    const error = api.post('/admin/rollups/run', { period: '2026-11' }).catch((e: unknown) => e);
    for (const d of RETRY_DELAYS) await vi.advanceTimersByTimeAsync(d);

    expect(await error).toMatchObject({ status: 503, code: 'service.unavailable', requestId: 'r-503' });
    expect(sent).toHaveLength(RETRY_DELAYS.length + 1);
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
    expect(seen).toEqual([null, ...RETRY_DELAYS.map((_, i) => ({ state: 'retrying', attempt: i + 1 })), null]);
    stop();
  });

  it('waits the stated delays between tries, not less', async () => {
    const { sent } = scriptedServer([unavailable, { status: 200, body: {} }]);
    const result = api.post('/town/communities', { name: 'a', kind: 'urban' });
    await vi.advanceTimersByTimeAsync((RETRY_DELAYS[0] ?? 0) - 1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await result;
    expect(sent).toHaveLength(2);
  });

  it('ends the session on a 401 and sends the user to sign in again, without retrying', async () => {
    const { sent } = scriptedServer([{ status: 401, body: { message: 'Unauthorized' } }]);
    await expect(api.get('/town/me')).rejects.toMatchObject({ status: 401, code: 'auth.unauthorized' });
    expect(sent).toHaveLength(1);
    expect(get(session)).toBeNull();
    expect(goto).toHaveBeenCalledWith(expect.stringMatching(/^\/login\?reason=expired&next=/), { replaceState: true });
  });

  it('tells a revoked sign-in (401 auth.revoked) from an expired one on the login page', async () => {
    scriptedServer([{ status: 401, body: { error: { code: 'auth.revoked', message: 'revoked', requestId: 'r' } } }]);
    await expect(api.get('/town/me')).rejects.toMatchObject({ status: 401, code: 'auth.revoked' });
    expect(get(session)).toBeNull();
    expect(goto).toHaveBeenCalledWith(expect.stringMatching(/^\/login\?reason=revoked&next=/), { replaceState: true });
  });

  it('sends a suspended town to the suspended page', async () => {
    scriptedServer([{ status: 403, body: { error: { code: 'tenant.suspended', message: 'suspended', requestId: 'r' } } }]);
    await expect(api.get('/town/me')).rejects.toMatchObject({ code: 'tenant.suspended' });
    expect(goto).toHaveBeenCalledWith('/suspended', { replaceState: true });
  });
});
