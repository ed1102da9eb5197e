import { vi } from 'vitest';

/** One request as the API saw it. */
export type Seen = { method: string; path: string; body: unknown };

/**
 * `fetch` is mocked (no API runs in a unit test): /config.json answers, every API call is recorded
 * and answered with `status` and `{}`.
 */
export function recordingServer(status = 200) {
  const seen: Seen[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (url === '/config.json') return new Response(JSON.stringify({ mode: 'local', apiBase: '/api', authBase: '/auth' }));
      seen.push({
        method: init.method ?? 'GET',
        path: url.replace(/^\/api/, ''),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return new Response('{}', { status });
    }),
  );
  return seen;
}
