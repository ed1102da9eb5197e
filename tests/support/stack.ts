import type { MapTiles } from '@gridline/domain';
import type { BoundRoute } from '@gridline/functions';
import { type DirectoryUser, LocalDirectory, loadSigningKey, type SigningKey, signIdToken } from '@gridline/identity';
import { seedDemoCounty, startLocalStack } from '@gridline/local';

export type TestStack = Awaited<ReturnType<typeof startTestStack>>;
export type CallOptions = {
  token?: string | undefined;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
};
export type CallResult = { status: number; body: unknown; text: string; headers: Headers };

/**
 * The local stack in-process on a free port, against this test file's table, seeded with the demo
 * county (青石镇 `qingshi`, 桃源街道 `taoyuan`, 白沙镇 `baisha`). Tokens are signed by the same issuer
 * key the server trusts; `call` goes over real HTTP through the JWT check to the handlers.
 */
export async function startTestStack(opts: { routes?: BoundRoute[]; webDir?: string; seed?: boolean; mapTiles?: MapTiles } = {}) {
  const directory = new LocalDirectory();
  const key: SigningKey = await loadSigningKey();
  const stack = await startLocalStack({
    key,
    directory,
    ...(opts.routes ? { routes: opts.routes } : {}),
    ...(opts.webDir ? { webDir: opts.webDir } : {}),
    ...(opts.mapTiles ? { mapTiles: opts.mapTiles } : {}),
  });
  const logins = opts.seed === false ? [] : await seedDemoCounty(directory);

  const user = (username: string): DirectoryUser => {
    const u = directory.find(username);
    if (!u) throw new Error(`no such test user ${username}`);
    return u;
  };
  const token = (username: string) => signIdToken(key, stack.issuer, user(username));

  async function call(method: string, path: string, o: CallOptions = {}): Promise<CallResult> {
    const url = new URL(`${stack.apiUrl}${path}`);
    for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  return { ...stack, directory, key, logins, user, token, call };
}
