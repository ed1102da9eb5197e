import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { type MapTiles, mapTileOrigins } from '@gridline/domain';
import { type BoundRoute, useDirectory } from '@gridline/functions';
import { LOCAL_CLIENT_ID, type LocalDirectory, type SigningKey } from '@gridline/identity';
import { createApiHandler } from './api-server';
import { createBlobHandler } from './blob-server';
import { sendJson } from './http';
import { createIssuerHandler } from './issuer-server';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The same security headers CloudFront adds when deployed; the map tiles' origins, if any, join img-src. */
export function securityHeaders(mapTiles?: MapTiles): Record<string, string> {
  const img = ["img-src 'self' data: blob:", ...(mapTiles ? mapTileOrigins(mapTiles) : [])].join(' ');
  return {
    'content-security-policy': `default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; ${img}; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

/** The headers of a stack without map tiles. */
export const SECURITY_HEADERS: Record<string, string> = securityHeaders();

function serveStatic(webDir: string, headers: Record<string, string>, req: IncomingMessage, res: ServerResponse) {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
  const root = resolve(webDir);
  let file = normalize(join(root, path));
  if (!file.startsWith(root)) return sendJson(res, 404, { message: 'Not Found' });
  if (!existsSync(file) || statSync(file).isDirectory()) {
    const asHtml = `${file.replace(/\/$/, '')}.html`;
    file = existsSync(asHtml) ? asHtml : join(root, 'index.html');
  }
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('The web app is not built yet: run `pnpm --filter @gridline/web build`.');
  }
  const immutable = file.includes(`${join(root, '_app', 'immutable')}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...headers,
  });
  res.end(readFileSync(file));
}

export type LocalStackOptions = {
  key: SigningKey;
  directory: LocalDirectory;
  webDir?: string;
  port?: number;
  host?: string;
  routes?: BoundRoute[];
  /** Background tiles for the population map (`GRIDLINE_MAP_TILES`), served in config.json and admitted by the CSP. */
  mapTiles?: MapTiles | undefined;
};

/**
 * One local origin, as CloudFront gives when deployed: the web app at `/`, the API at `/api`, and the
 * local issuer (Cognito's stand-in) at `/auth`.
 */
export async function startLocalStack(opts: LocalStackOptions) {
  useDirectory(opts.directory);
  let origin = '';
  const issuerHandle = createIssuerHandler({ issuer: () => `${origin}/auth`, key: opts.key, directory: opts.directory });
  let apiHandle: ReturnType<typeof createApiHandler> | undefined;
  const blobHandle = createBlobHandler();
  const headers = securityHeaders(opts.mapTiles);
  const siteConfig = { mode: 'local', apiBase: '/api', authBase: '/auth', ...(opts.mapTiles ? { mapTiles: opts.mapTiles } : {}) };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = async () => {
      if (path === '/api' || path.startsWith('/api/')) return (apiHandle as ReturnType<typeof createApiHandler>)(req, res, '/api');
      if (path.startsWith('/auth/')) return issuerHandle(req, res, '/auth');
      // The bucket's stand-in: the upload forms and links the API signs locally are paths here.
      if (path.startsWith('/blobs/')) return blobHandle(req, res, path.slice('/blobs/'.length));
      if (path === '/config.json') return sendJson(res, 200, siteConfig);
      if (opts.webDir) return serveStatic(opts.webDir, headers, req, res);
      return sendJson(res, 404, { message: 'Not Found' });
    };
    route().catch((e: unknown) => {
      console.error('local stack failure', e);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  apiHandle = createApiHandler({ issuer: `${origin}/auth`, audience: [LOCAL_CLIENT_ID], ...(opts.routes ? { routes: opts.routes } : {}) });
  return {
    url: origin,
    apiUrl: `${origin}/api`,
    issuer: `${origin}/auth`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
