import { resolve } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { readConfig } from './config';
import { buildGridline, type GridlineStacks } from './gridline';
import { acknowledgeFindings, addNagChecks } from './nag';

export type GridlineAppOptions = {
  /** CDK context; by default what the CLI passes (cdk.json and -c flags). */
  context?: AppProps['context'];
  outdir?: string;
  /** Folder holding `<area>/index.mjs` bundles (functions/src/build.ts writes them). */
  bundleDir: string;
  /** Absolute path of the built web app. When undefined, `gridline:webBuildDir` under `root`. */
  webBuildDir?: string;
  /** Repository root, for relative paths in context. */
  root: string;
  /** Whether the cdk-nag AwsSolutions checks run at synthesis (on for the real app). */
  nag: boolean;
};

/** The app as the CLI and the tests build it: config from context, the six stacks, nag acknowledgements. */
export function createGridlineApp(opts: GridlineAppOptions): { app: App; stacks: GridlineStacks } {
  const app = new App({ ...(opts.context ? { context: opts.context } : {}), ...(opts.outdir ? { outdir: opts.outdir } : {}) });
  const config = readConfig(app.node);
  const webBuildDir = opts.webBuildDir ?? resolve(opts.root, config.webBuildDir);
  const stacks = buildGridline(app, config, { bundleDir: opts.bundleDir, webBuildDir });
  acknowledgeFindings(stacks, config);
  if (opts.nag) addNagChecks(app);
  return { app, stacks };
}
