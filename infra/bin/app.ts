import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAreas } from '@gridline/functions/build';
import { createGridlineApp } from '../src/app';

/**
 * The CDK app (cdk.json: `npx tsx infra/bin/app.ts`). Bundles the handlers with esbuild into
 * infra/build/functions (outside cdk.out; `build/` is ignored by git), then defines the stacks from
 * that folder with the cdk-nag AwsSolutions checks on.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bundleDir = resolve(root, 'infra/build/functions');
await bundleAreas(bundleDir);
const { app } = createGridlineApp({ root, bundleDir, nag: true });
app.synth();
