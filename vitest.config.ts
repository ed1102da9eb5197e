import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Four projects: `unit` needs nothing but Node; `cdk` is the CDK assertions (Node only, but they
 * synthesise the app, so slow); `web` runs the web app's pure modules beside their tests
 * (web/src/lib), in Node, with SvelteKit's `$app` imports pointed at a stand-in; `integration` runs
 * against one DynamoDB Local started by the global setup (each test file gets a table of its own)
 * and, for `*.e2e.test.ts`, Chromium. `pnpm test:unit` runs `unit` and `web` alone; `vitest run`
 * (npm test) runs all four.
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'functions/src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          exclude: ['**/*.dynamo.test.ts', '**/node_modules/**'],
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // The CDK assertions synthesise the app and bundle every area: most of a minute on their own,
          // so they run with `vitest run` (npm test) but not in the fast set.
          name: 'cdk',
          include: ['infra/test/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
          testTimeout: 60_000,
        },
      },
      {
        resolve: {
          alias: {
            // Vite resolves these through the SvelteKit plugin, which a plain Node test does not load.
            '$app/navigation': here('./web/src/lib/testing/app-navigation.ts'),
            $lib: here('./web/src/lib'),
          },
        },
        // web/tsconfig.json extends the one `svelte-kit sync` writes; the fast suites must not need that step first.
        tsconfig: here('./tsconfig.base.json'),
        test: {
          name: 'web',
          include: ['web/src/lib/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            '**/*.dynamo.test.ts',
            'tests/isolation/**/*.test.ts',
            'tests/fuzz/**/*.test.ts',
            'tests/e2e/**/*.test.ts',
            'tests/cli/**/*.test.ts',
            'tests/local/**/*.test.ts',
            'tests/api/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          globalSetup: ['./tests/support/global-dynamo.ts'],
          setupFiles: ['./tests/support/table-per-file.ts'],
          env: {
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
            // Every response the API gives a test is checked against its route's schema (packages/local).
            GRIDLINE_CHECK_RESPONSES: '1',
          },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
