import { rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { areaEntries } from './manifest';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One output file of an area's bundle, its path relative to the area's folder. */
export type Chunk = { file: string; bytes: number };

/**
 * An area's bundle: `index.mjs` plus the chunks it shares or loads on demand, all in one folder (the
 * function's code asset). `bytes` is what a cold start loads before any request: the entry and every
 * chunk it imports statically, transitively. `lazy` are the chunks only an `import()` reaches, loaded
 * when a request first needs them.
 */
export type Bundle = { area: string; dir: string; file: string; bytes: number; eager: Chunk[]; lazy: Chunk[] };

/** The outputs the entry loads at import time: it and its static imports, followed transitively. */
function eagerOutputs(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const imp of meta.outputs[out]?.imports ?? []) if (!imp.external && imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entry);
  return seen;
}

/**
 * Bundles each area's handler with esbuild, minified, as ESM for the Lambda Node runtime, split into
 * chunks so that what one route alone needs (the XLSX reader, the import code) is loaded when that
 * route is first called, not at every cold start. The AWS SDK is left out: the Lambda Node 22 runtime
 * ships SDK v3. Same input, same bytes (deterministic); the area's folder is emptied first so that no
 * chunk of an earlier build rides along in the asset.
 */
export async function bundleAreas(outDir: string, only?: string[]): Promise<Bundle[]> {
  const out: Bundle[] = [];
  for (const [area, entry] of Object.entries(areaEntries)) {
    if (only && !only.includes(area)) continue;
    const dir = join(outDir, area);
    rmSync(dir, { recursive: true, force: true });
    const result = await build({
      entryPoints: { index: join(pkgDir, entry) },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      splitting: true,
      metafile: true,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      external: ['@aws-sdk/*', '@smithy/*'],
      legalComments: 'none',
      logLevel: 'error',
      // ESM chunks still meet CommonJS dependencies that call require() for Node built-ins.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    });
    const meta = result.metafile;
    const outputs = Object.keys(meta.outputs).filter((o) => o.endsWith('.mjs'));
    // A chunk reached by import() is an entry point to esbuild as well: the area's is index.mjs.
    const entryOut = outputs.find((o) => resolve(o) === join(dir, 'index.mjs'));
    if (!entryOut) throw new Error(`esbuild wrote no entry for area ${area}`);
    const eagerSet = eagerOutputs(meta, entryOut);
    const chunk = (o: string): Chunk => ({ file: relative(dir, resolve(o)), bytes: meta.outputs[o]?.bytes ?? 0 });
    const eager = outputs.filter((o) => eagerSet.has(o)).map(chunk);
    const lazy = outputs.filter((o) => !eagerSet.has(o)).map(chunk);
    out.push({
      area,
      dir,
      file: join(dir, 'index.mjs'),
      bytes: eager.reduce((n, c) => n + c.bytes, 0),
      eager,
      lazy,
    });
  }
  return out;
}
