import { goto } from '$app/navigation';
import { endSession, session } from './session';
import { get, writable } from 'svelte/store';

/**
 * The one way the web app talks to the back end. It reads /config.json once, adds the bearer token,
 * turns every failure into an ApiError with a code the message catalog knows, and on a 401 ends the
 * session and goes to the login page.
 */

export type LocalConfig = { mode: 'local'; apiBase: string; authBase: string };
export type CognitoConfig = { mode: 'cognito'; apiBase: string; cognito: { domain: string; clientId: string; redirectUri: string } };
/** Settings beside the mode: `mapTiles` (optional) is read by the map page, which checks its shape (lib/map/tiles.ts). */
export type AppConfig = (LocalConfig | CognitoConfig) & { mapTiles?: unknown };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  /** On a conflict, the record as it stands now when the server sent it (e.g. a matter's page). */
  readonly current: unknown;

  constructor(status: number, code: string, message: string, field?: string, requestId?: string, current?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
    this.current = current;
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
      b.current,
    );
  }
  const message = typeof b.message === 'string' ? b.message : `HTTP ${status}`;
  if (status === 401) return new ApiError(status, 'auth.unauthorized', message);
  if (status === 404) return new ApiError(status, 'route.not_found', message);
  if (status === 429) return new ApiError(status, 'data.throttled', message);
  if (status >= 500) return new ApiError(status, 'internal', message);
  return new ApiError(status, 'unknown', message);
}

/** A response body as JSON, or undefined when it is empty or not JSON. */
const parseBody = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** A JSON exchange without any session handling; a non-2xx answer throws an ApiError. */
async function exchange<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const body = parseBody(await res.text());
  if (!res.ok) throw errorFrom(res.status, body);
  return { status: res.status, body: body as T };
}

/** How far a request body has gone up: bytes sent of the total. */
export type UploadProgress = { sent: number; total: number };
export type SendOptions = { onUploadProgress?: (p: UploadProgress) => void; signal?: AbortSignal };

/**
 * The same exchange over XMLHttpRequest, for a large body whose upload progress should show (fetch
 * reports none). A cancelled request throws an ApiError with the code `aborted`.
 */
function exchangeWithProgress<T>(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  opts: SendOptions,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const aborted = () => reject(new ApiError(0, 'aborted', 'aborted'));
    if (opts.signal?.aborted) return aborted();
    xhr.open(init.method, url);
    for (const [k, v] of Object.entries({ accept: 'application/json', ...init.headers })) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onUploadProgress?.({ sent: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body: body as T });
      else reject(errorFrom(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onabort = aborted;
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(init.body ?? null);
  });
}

/** A signed upload form from the API (`POST /town/uploads`): where to post, and the fields to send first. */
export type StorageForm = { url: string; fields: Record<string, string> };

/**
 * Posts a file straight to storage through a signed form (the bucket when deployed, the local server's
 * `/blobs` here), reporting upload progress: the form's fields, then the file as `file`. No bearer token
 * goes with it; the form's signature is the permission. A refusal is an ApiError `upload.too_large` (413)
 * or `upload.storage_refused`.
 */
export function sendToStorage(form: StorageForm, file: Blob, opts: SendOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const aborted = () => reject(new ApiError(0, 'aborted', 'aborted'));
    if (opts.signal?.aborted) return aborted();
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append('file', file);
    xhr.open('POST', form.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onUploadProgress?.({ sent: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else if (xhr.status === 413 || /EntityTooLarge/.test(xhr.responseText))
        reject(new ApiError(413, 'upload.too_large', 'file too large'));
      else reject(new ApiError(xhr.status, 'upload.storage_refused', 'storage refused the file'));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onabort = aborted;
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(data);
  });
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
  opts: { query?: Query; body?: unknown; send?: SendOptions } = {},
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
  // One key per user action, kept for every retry of it: the server applies the change at most once.
  if (method !== 'GET') headers['idempotency-key'] = crypto.randomUUID();
  try {
    const body = opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {};
    return await withRetries(() =>
      opts.send ? exchangeWithProgress<T>(url, { method, headers, ...body }, opts.send) : exchange<T>(url, { method, headers, ...body }),
    );
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.status === 401) {
        endSession();
        // A revoked sign-in (disabled, or its role or scope changed) is told apart from an expired one.
        const reason = e.code === 'auth.revoked' ? 'revoked' : 'expired';
        await goto(`/login?reason=${reason}&next=${encodeURIComponent(currentPath())}`, { replaceState: true });
      } else if (e.code === 'tenant.suspended' || e.code === 'tenant.unknown') {
        await goto(`/suspended${e.code === 'tenant.unknown' ? '?reason=unknown' : ''}`, { replaceState: true });
      }
    }
    throw e;
  }
}

/**
 * What the app tells the user about the connection: retrying a request the server could not answer
 * (503) or that did not reach it, or that a retried request went through after all.
 */
export type ConnectionNotice = { state: 'retrying'; attempt: number } | { state: 'recovered' } | null;
export const connection = writable<ConnectionNotice>(null);

/** Waits before each retry (ms): the server asks for about 2 s; a few tries cover a brief outage. */
export const RETRY_DELAYS = [1000, 2000, 4000];
const retryable = (e: unknown) => e instanceof ApiError && (e.status === 503 || e.code === 'network');
let clearNotice: ReturnType<typeof setTimeout> | undefined;

async function withRetries<T>(send: () => Promise<T>, delays: readonly number[] = RETRY_DELAYS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await send();
      if (attempt > 0) {
        connection.set({ state: 'recovered' });
        clearTimeout(clearNotice);
        clearNotice = setTimeout(() => connection.set(null), 6000);
      }
      return out;
    } catch (e) {
      const delay = delays[attempt];
      if (!retryable(e) || delay === undefined || (e as ApiError).code === 'aborted') {
        if (attempt > 0) connection.set(null);
        throw e;
      }
      connection.set({ state: 'retrying', attempt: attempt + 1 });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

const bodyOf = <T>(p: Promise<{ body: T }>) => p.then((r) => r.body);

export const api = {
  get: <T>(path: string, query?: Query) => bodyOf(request<T>('GET', path, query ? { query } : {})),
  post: <T>(path: string, body?: unknown) => bodyOf(request<T>('POST', path, body === undefined ? {} : { body })),
  /** A POST with a large body, reporting upload progress and cancellable. */
  upload: <T>(path: string, body: unknown, send: SendOptions) => bodyOf(request<T>('POST', path, { body, send })),
  patch: <T>(path: string, body: unknown) => bodyOf(request<T>('PATCH', path, { body })),
  /** PUT answers 201 or 200 with different meanings, so the status comes back too. */
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
};
