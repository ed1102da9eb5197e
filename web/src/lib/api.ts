import { goto } from '$app/navigation';
import { endSession, session } from './session';
import { get } from 'svelte/store';

/**
 * The one way the web app talks to the back end. It reads /config.json once, adds the bearer token,
 * turns every failure into an ApiError with a code the message catalog knows, and on a 401 ends the
 * session and goes to the login page.
 */

export type LocalConfig = { mode: 'local'; apiBase: string; authBase: string };
export type CognitoConfig = { mode: 'cognito'; apiBase: string; cognito: { domain: string; clientId: string; redirectUri: string } };
export type AppConfig = LocalConfig | CognitoConfig;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, field?: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
  }
}

let configPromise: Promise<AppConfig> | undefined;

function isConfig(v: unknown): v is AppConfig {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  if (typeof c.apiBase !== 'string') return false;
  if (c.mode === 'local') return typeof c.authBase === 'string';
  if (c.mode === 'cognito') {
    const g = c.cognito as Record<string, unknown> | undefined;
    return !!g && typeof g.domain === 'string' && typeof g.clientId === 'string' && typeof g.redirectUri === 'string';
  }
  return false;
}

/** The site configuration, fetched once per page load (a failed fetch is retried next time). */
export function loadConfig(): Promise<AppConfig> {
  configPromise ??= (async () => {
    let res: Response;
    try {
      res = await fetch('/config.json', { cache: 'no-cache', headers: { accept: 'application/json' } });
    } catch {
      throw new ApiError(0, 'network', 'network error');
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok || !isConfig(body)) throw new ApiError(res.status, 'config', 'bad /config.json');
    return body;
  })().catch((e: unknown) => {
    configPromise = undefined;
    throw e;
  });
  return configPromise;
}

/** Builds an ApiError from any error body: ours `{ error: {...} }` or API Gateway's `{ message }`. */
function errorFrom(status: number, body: unknown): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const e = b.error as Record<string, unknown> | undefined;
  if (e && typeof e.code === 'string') {
    return new ApiError(
      status,
      e.code,
      typeof e.message === 'string' ? e.message : e.code,
      typeof e.field === 'string' ? e.field : undefined,
      typeof e.requestId === 'string' ? e.requestId : undefined,
    );
  }
  const message = typeof b.message === 'string' ? b.message : `HTTP ${status}`;
  if (status === 401) return new ApiError(status, 'auth.unauthorized', message);
  if (status === 404) return new ApiError(status, 'route.not_found', message);
  if (status === 429) return new ApiError(status, 'data.throttled', message);
  if (status >= 500) return new ApiError(status, 'internal', message);
  return new ApiError(status, 'unknown', message);
}

/** A JSON exchange without any session handling; a non-2xx answer throws an ApiError. */
async function exchange<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw errorFrom(res.status, body);
  return { status: res.status, body: body as T };
}

/** For the login endpoints and the token exchange, which carry no bearer token. */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  return (await exchange<T>(url, init)).body;
}

type Query = Record<string, string | number | undefined | null>;

function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname + location.search;
}

async function request<T>(
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const config = await loadConfig();
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  const url = `${config.apiBase}${path}${qs ? `?${qs}` : ''}`;
  const headers: Record<string, string> = {};
  const token = get(session)?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await exchange<T>(url, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.status === 401) {
        endSession();
        await goto(`/login?reason=expired&next=${encodeURIComponent(currentPath())}`, { replaceState: true });
      } else if (e.code === 'tenant.suspended' || e.code === 'tenant.unknown') {
        await goto(`/suspended${e.code === 'tenant.unknown' ? '?reason=unknown' : ''}`, { replaceState: true });
      }
    }
    throw e;
  }
}

const bodyOf = <T>(p: Promise<{ body: T }>) => p.then((r) => r.body);

export const api = {
  get: <T>(path: string, query?: Query) => bodyOf(request<T>('GET', path, query ? { query } : {})),
  post: <T>(path: string, body?: unknown) => bodyOf(request<T>('POST', path, body === undefined ? {} : { body })),
  patch: <T>(path: string, body: unknown) => bodyOf(request<T>('PATCH', path, { body })),
  /** PUT answers 201 or 200 with different meanings, so the status comes back too. */
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
};
