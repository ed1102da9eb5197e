import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The web app's layout (docs/decisions 53–54), checked on the files themselves:
 * - web/src/lib holds one folder per capability, each with its `api.ts`, beside the shared plumbing;
 *   a capability module left at the top of lib (or a new top-level file nobody placed) fails here;
 * - only a capability's `api.ts` talks to the HTTP client (lib/api.ts): no page or component calls
 *   `api.get('/path')` itself, and nothing but the client uses `fetch` (the sign-in modules use the
 *   client's `fetchJson`);
 * - request and response types come from `@gridline/domain` as types only (its values need zod);
 * - the shared components under lib/components import no capability.
 */

const LIB = fileURLToPath(new URL('.', import.meta.url));
const SRC = join(LIB, '..');

/** One folder per capability; each has an `api.ts`. The next capabilities (team, matters, …) add theirs here. */
const CAPABILITIES = [
  'api-docs',
  'book',
  'calendar',
  'imports',
  'map',
  'matters',
  'mediation',
  'org',
  'posts',
  'rollups',
  'staff',
  'team',
  'town',
  'towns',
  'training',
  'visits',
];
/** What may sit at the top of lib besides the capability folders: the shared plumbing. */
const SHARED = {
  folders: ['auth', 'components', 'i18n', 'testing'],
  files: ['api.ts', 'api.test.ts', 'errors.ts', 'files.ts', 'guard.ts', 'layout.test.ts', 'load.ts', 'session.ts', 'validate.ts'],
};

/** What is wrong with the top of lib, given its entries (name and whether it is a folder). */
function topLevelProblems(entries: ReadonlyArray<{ name: string; folder: boolean }>): string[] {
  const problems: string[] = [];
  for (const { name, folder } of entries) {
    if (folder ? CAPABILITIES.includes(name) || SHARED.folders.includes(name) : SHARED.files.includes(name)) continue;
    problems.push(
      folder
        ? `lib/${name}/ is neither a capability nor shared plumbing: add it to CAPABILITIES (with an api.ts) or move it into one`
        : `lib/${name} sits at the top of lib: move it into its capability's folder (lib/<capability>/)`,
    );
  }
  for (const c of CAPABILITIES) if (!entries.some((e) => e.folder && e.name === c)) problems.push(`lib/${c}/ is missing`);
  return problems;
}

/**
 * The service worker is the browser's own network layer for the app shell (the offline PWA): it fetches
 * the built files and the site config, and must never touch the API (checked below).
 */
const SERVICE_WORKER = 'service-worker.ts';

/** Where a file may use the client's request functions: the client itself and each capability's api.ts. */
const mayCallClient = (path: string) => path === 'lib/api.ts' || CAPABILITIES.some((c) => path === `lib/${c}/api.ts`);

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g;
const specifiers = (list: string) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The layout rules a source file (path relative to web/src) breaks, one line each. */
function sourceProblems(path: string, text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const [, typeOnly, list = '', spec = ''] = m;
    if (typeOnly) continue;
    const values = specifiers(list).filter((s) => !s.startsWith('type '));
    // Resolved against the importing file's folder: `./api` at the top of lib is the client, in a capability folder its own api.ts.
    const client = spec === '$lib/api' || resolvesToClient(path, spec);
    if (client && !mayCallClient(path)) {
      const raw = values.filter((v) => /^(api|fetchJson)\b/.test(v));
      const allowed = path.startsWith('lib/auth/') ? raw.filter((v) => v !== 'fetchJson' && !v.startsWith('fetchJson ')) : raw;
      if (allowed.length) problems.push(`${path} imports ${allowed.join(', ')} from the HTTP client: call its capability's api.ts instead`);
    }
    if (spec === '@gridline/domain' && values.length)
      problems.push(`${path} imports values (${values.join(', ')}) from @gridline/domain: types only`);
  }
  if (!mayCallClient(path) && /\bapi\.(get|post|put|patch|upload)\s*[<(]/.test(text))
    problems.push(`${path} calls the HTTP client directly: go through its capability's api.ts`);
  if (path !== 'lib/api.ts' && path !== SERVICE_WORKER && /(?<![\w.'"])fetch\s*\(|\bXMLHttpRequest\b/.test(text))
    problems.push(`${path} uses fetch itself: only lib/api.ts does`);
  if (path.startsWith('lib/components/')) {
    for (const m of text.matchAll(/from\s*'\$lib\/([\w-]+)\//g)) {
      if (CAPABILITIES.includes(m[1] ?? ''))
        problems.push(`${path} is shared but imports the ${m[1]} capability: move it into lib/${m[1]}/`);
    }
  }
  return problems;
}

/** Whether an import specifier written in `path` (relative to web/src) names lib/api.ts. */
function resolvesToClient(path: string, spec: string): boolean {
  const from = path.split('/').slice(0, -1);
  for (const part of spec.split('/')) {
    if (part === '..') from.pop();
    else if (part !== '.') from.push(part);
  }
  return from.join('/') === 'lib/api';
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe('the web app is laid out by capability', () => {
  it('keeps only shared plumbing and capability folders at the top of lib, each capability with its api.ts', () => {
    const entries = readdirSync(LIB).map((name) => ({ name, folder: statSync(join(LIB, name)).isDirectory() }));
    expect(topLevelProblems(entries)).toEqual([]);
    for (const c of CAPABILITIES) expect(statSync(join(LIB, c, 'api.ts')).isFile(), `lib/${c}/api.ts`).toBe(true);
  });

  it('talks to the API only through the capability api modules', () => {
    const files = walk(SRC)
      .map((f) => relative(SRC, f).split('\\').join('/'))
      .filter((f) => /\.(ts|svelte)$/.test(f) && !f.endsWith('.test.ts') && !f.startsWith('lib/testing/'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => sourceProblems(f, readFileSync(join(SRC, f), 'utf8')))).toEqual([]);
  });

  it('keeps the service worker off the API and the sign-in: it caches the app shell only', () => {
    const text = readFileSync(join(SRC, SERVICE_WORKER), 'utf8');
    expect(text).toMatch(/NEVER_CACHED\s*=\s*\/\^\\\/\(api\|auth\|blobs\)/);
    expect(text).not.toMatch(/indexedDB|localStorage|sessionStorage/);
  });

  it('would catch a capability module at the top of lib, a stray folder, a missing capability', () => {
    const ok = [...CAPABILITIES.map((name) => ({ name, folder: true })), { name: 'api.ts', folder: false }];
    expect(topLevelProblems(ok)).toEqual([]);
    expect(topLevelProblems([...ok, { name: 'team.ts', folder: false }])).toEqual([
      "lib/team.ts sits at the top of lib: move it into its capability's folder (lib/<capability>/)",
    ]);
    expect(topLevelProblems([...ok, { name: 'charts', folder: true }])[0]).toMatch(/^lib\/charts\/ is neither/);
    expect(topLevelProblems(ok.filter((e) => e.name !== 'book'))).toEqual(['lib/book/ is missing']);
  });

  it('would catch a page or component calling the client, fetch, or domain values', () => {
    const page = `import { api } from '$lib/api';\nonMount(async () => (rows = await api.get('/town/staff')));`;
    expect(sourceProblems('routes/town/+page.svelte', page)).toHaveLength(2);
    expect(sourceProblems('lib/book/MemberCard.svelte', `import { api, ApiError } from '../api';`)).toHaveLength(1);
    expect(sourceProblems('lib/session.ts', `import { api } from './api';`)).toHaveLength(1);
    expect(sourceProblems('lib/town/ReconcilePanel.svelte', `const r = await fetch('/api/town/me');`)).toHaveLength(1);
    expect(sourceProblems('lib/org/api.ts', `import { personSchema } from '@gridline/domain';`)).toHaveLength(1);
    expect(sourceProblems('lib/components/Header.svelte', `import { town } from '$lib/town/api';`)).toHaveLength(1);
    // What is allowed: a capability's own api.ts, ApiError anywhere, the sign-in's fetchJson, types from the domain.
    expect(sourceProblems('lib/org/api.ts', `import { api } from '../api';\nexport const x = () => api.get('/town/org');`)).toEqual([]);
    expect(
      sourceProblems(
        'routes/town/import/+page.svelte',
        `import { ApiError } from '$lib/api';\nimport { transfer } from '$lib/imports/api';`,
      ),
    ).toEqual([]);
    expect(sourceProblems('lib/auth/local.ts', `import { fetchJson, type LocalConfig } from '../api';`)).toEqual([]);
    expect(
      sourceProblems(
        'lib/book/api.ts',
        `import type { PersonView } from '@gridline/domain';\nimport { type Page } from '@gridline/domain';`,
      ),
    ).toEqual([]);
  });
});
