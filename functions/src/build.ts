import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { areaEntries } from './manifest';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type Bundle = { area: string; file: string; bytes: number };

/**
 * Bundles each area's handler with esbuild, minified, as ESM for the Lambda Node runtime. The AWS SDK
 * is left out: the Lambda Node 22 runtime ships SDK v3. Same input, same bytes (deterministic).
 */
export async function bundleAreas(outDir: string, only?: string[]): Promise<Bundle[]> {
  const out: Bundle[] = [];
  for (const [area, entry] of Object.entries(areaEntries)) {
    if (only && !only.includes(area)) continue;
    const file = join(outDir, area, 'index.mjs');
    await build({
      entryPoints: [join(pkgDir, entry)],
      outfile: file,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      external: ['@aws-sdk/*', '@smithy/*'],
      legalComments: 'none',
      logLevel: 'error',
      // ESM bundles still meet CommonJS dependencies that call require() for Node built-ins.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    });
    out.push({ area, file, bytes: statSync(file).size });
  }
  return out;
}
