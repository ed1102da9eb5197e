import { type App, Tags } from 'aws-cdk-lib';
import { ApiStack } from './api-stack';
import type { GridlineConfig } from './config';
import { DataStack } from './data-stack';
import { IdentityStack } from './identity-stack';
import { IMPORT_JOB, JobsStack, RECONCILE_NOW_JOB, ROLLUP_NOW_JOB } from './jobs-stack';
import { ObservabilityStack } from './observability-stack';
import { WebStack } from './web-stack';

export type GridlineStacks = {
  data: DataStack;
  identity: IdentityStack;
  web: WebStack;
  api: ApiStack;
  jobs: JobsStack;
  observability: ObservabilityStack;
};

export type BuildOptions = {
  /** Folder of pre-built function bundles (`<area>/index.mjs`), see functions/src/build.ts. */
  bundleDir: string;
  /** Absolute path of the built web app. */
  webBuildDir: string;
};

/**
 * The whole deployment of one county, as six stacks by concern. Dependencies run one way:
 * identity → web (HTTP API endpoint, CloudFront, web client) → api (stage, routes, functions);
 * data → jobs → api (the town data role trusts the town-scoped job roles; the town function starts
 * the import function); data → api; everything → observability.
 */
export function buildGridline(app: App, config: GridlineConfig, opts: BuildOptions): GridlineStacks {
  const env = { region: config.region };
  const name = (concern: string) => `Gridline-${config.county}-${concern}`;
  const description = (what: string) => `Gridline (${config.countyName}): ${what}`;

  const data = new DataStack(app, 'Data', {
    stackName: name('Data'),
    description: description('table, buckets, keys'),
    env,
    config,
  });
  const identity = new IdentityStack(app, 'Identity', {
    stackName: name('Identity'),
    description: description('Cognito user pool and hosted login'),
    env,
    config,
  });
  const web = new WebStack(app, 'Web', {
    stackName: name('Web'),
    description: description('CloudFront, web app, API endpoint, web client'),
    env,
    config,
    userPool: identity.userPool,
    loginHost: identity.loginHost,
    webBuildDir: opts.webBuildDir,
  });
  const jobs = new JobsStack(app, 'Jobs', {
    stackName: name('Jobs'),
    description: description('scheduled and on-demand jobs'),
    env,
    config,
    bundleDir: opts.bundleDir,
    table: data.table,
    dataKey: data.key,
    reportsArn: data.reportsArn,
    reportsBucketName: data.reports.bucketName,
    uploadsBucketName: data.uploadsBucketName,
    personalKey: data.personalKey,
    cursorSecretRef: data.cursorSecretRef,
  });
  // The town API starts imports in the import job's function; jobs that work in towns use the town role.
  const importFn = jobs.onDemandFunctions[IMPORT_JOB];
  if (!importFn) throw new Error(`The jobs stack has no function for the on-demand job "${IMPORT_JOB}"`);
  // The county API's "run a rollup now" invokes the rollup job's function and waits for it.
  const rollupFn = jobs.functions[ROLLUP_NOW_JOB];
  if (!rollupFn) throw new Error(`The jobs stack has no function for the rollup job "${ROLLUP_NOW_JOB}"`);
  // The county API's "reconcile a town now" invokes the reconcile job's function and waits for it.
  const reconcileFn = jobs.functions[RECONCILE_NOW_JOB];
  if (!reconcileFn) throw new Error(`The jobs stack has no function for the job "${RECONCILE_NOW_JOB}"`);
  const api = new ApiStack(app, 'Api', {
    stackName: name('Api'),
    description: description('HTTP API routes, authorizer and functions'),
    env,
    config,
    bundleDir: opts.bundleDir,
    httpApi: web.httpApi,
    table: data.table,
    dataKey: data.key,
    uploadsArn: data.uploadsArn,
    uploadsBucketName: data.uploadsBucketName,
    personalKey: data.personalKey,
    cursorSecretRef: data.cursorSecretRef,
    userPoolArn: identity.userPool.userPoolArn,
    userPoolId: identity.userPool.userPoolId,
    issuerUrl: identity.issuerUrl,
    clientIds: [web.client.userPoolClientId, identity.cliClient.userPoolClientId],
    townScopedJobRoles: Object.values(jobs.townScopedRoles),
    importFunctionName: importFn.functionName,
    rollupFunctionName: rollupFn.functionName,
    reconcileFunctionName: reconcileFn.functionName,
  });
  // Explicit as well: the town and county functions name the job functions literally, not by reference.
  api.addStackDependency(
    jobs,
    'the town data role trusts the town-scoped job roles; the town function invokes the import function, the county function the rollup function',
  );
  const functionNames = {
    ...Object.fromEntries(Object.entries(api.functions).map(([k, f]) => [k, f.functionName])),
    ...Object.fromEntries(Object.entries(jobs.functions).map(([k, f]) => [`job-${k}`, f.functionName])),
  };
  const observability = new ObservabilityStack(app, 'Observability', {
    stackName: name('Observability'),
    description: description('alarms and dashboard'),
    env,
    config,
    apiId: web.httpApi.apiId,
    tableName: data.tableName,
    functionNames,
    deadLettersName: jobs.deadLettersName,
  });
  // Metrics name the table, functions and queue literally: deploy what they watch first.
  for (const watched of [data, api, jobs]) observability.addStackDependency(watched);

  Tags.of(app).add('project', 'gridline');
  Tags.of(app).add('gridline:county', config.county);
  return { data, identity, web, api, jobs, observability };
}
