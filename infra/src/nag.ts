import { type App, type CfnElement, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { routeTable } from '@gridline/functions/manifest';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { JOB_ACCESS } from './access';
import type { GridlineConfig } from './config';
import type { GridlineStacks } from './gridline';

/** Registers the AwsSolutions checks: any finding not acknowledged below stops synthesis. */
export function addNagChecks(app: App) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

function ack(scope: IConstruct, id: string, reason: string) {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The logical id of a resource as cdk-nag prints it in a finding (`<LogicalId.Arn>`). */
function logicalId(element: IConstruct | undefined): string {
  if (!element) throw new Error('nag: construct to acknowledge not found');
  return Stack.of(element).resolve((element as CfnElement).logicalId) as string;
}

/**
 * Every acknowledged cdk-nag finding of the app, each with its reason, in this one place. An
 * acknowledgement names the construct it applies to; a finding elsewhere still stops synthesis.
 */
export function acknowledgeFindings(stacks: GridlineStacks, config: GridlineConfig) {
  const { data, identity, web, api, jobs } = stacks;

  // X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permission; CDK adds them
  // for active tracing. Nothing else in these roles has a wildcard resource.
  const functions = [...Object.values(api.functions), ...Object.values(jobs.functions)];
  for (const f of functions)
    ack(
      f.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray trace upload (xray:PutTraceSegments, PutTelemetryRecords) has no resource-level permissions.',
    );

  // The town role reaches only its own town's folder of the uploads bucket; the object part of an S3
  // ARN is necessarily a pattern.
  ack(
    api.townDataRole,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::gridline-${config.county}-uploads-<AWS::AccountId>-<AWS::Region>/towns/<aws:PrincipalTag/town>/*]`,
    'Objects under towns/<the session’s own town>/ only: the town comes from the session tag, so no town can reach another’s uploads.',
  );
  ack(
    api.townDataRole,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::gridline-${config.county}-uploads-<AWS::AccountId>-<AWS::Region>/towns/<aws:PrincipalTag/town>/incoming/*]`,
    'Tagging of posted originals under towns/<the session’s own town>/incoming/ only (the tag makes them expire).',
  );

  // Jobs that write report files reach one folder of the reports bucket (JOB_ACCESS in access.ts); the
  // object part of an S3 ARN is necessarily a pattern.
  for (const [name, f] of Object.entries(jobs.functions)) {
    const access = JOB_ACCESS[name];
    if (!access?.reportFiles) continue;
    ack(
      f.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::gridline-${config.county}-reports-<AWS::AccountId>-<AWS::Region>/${access.reportPrefix ?? `reports/${name}`}/*]`,
      `PutObject of the job's own report files only, under ${access.reportPrefix ?? `reports/${name}`}/ of the reports bucket.`,
    );
  }

  // The public routes of the route table are the only ones without the JWT authorizer: the liveness
  // and readiness probes and the API's own description, none returning any town's data.
  const publicRoutes = routeTable.filter((r) => r.audience === 'public');
  if (!publicRoutes.some((r) => r.id === 'health')) throw new Error('nag: no health route');
  for (const route of publicRoutes) {
    const construct = api.node.tryFindChild(`Route-${route.id}`);
    if (!construct) throw new Error(`nag: no route ${route.id}`);
    ack(
      construct,
      'AwsSolutions-APIG4',
      `${route.method} ${route.path} is a public route of the route table (audience "public"): ${route.summary}; it returns no town's data.`,
    );
  }

  ack(
    data.cursorSecret,
    'AwsSolutions-SMG4',
    'The cursor HMAC key has no rotation function: rotating it invalidates every outstanding page cursor, so it is rotated by hand (docs/deploy.md) until the data package verifies with a previous key too.',
  );

  ack(
    identity.userPool,
    'AwsSolutions-COG8',
    'Essentials plan: MFA is required for every user (TOTP) and self sign-up is off; the Plus plan’s threat protection is a per-user cost the county can opt into later.',
  );

  ack(
    jobs.deadLetters,
    'AwsSolutions-SQS3',
    'This queue is the dead-letter queue of the job schedules and of the job functions’ asynchronous invocations.',
  );

  ack(
    web.distribution,
    'AwsSolutions-CFR1',
    'No geo restriction: county staff sign in from wherever they work; access is by account and MFA.',
  );
  ack(
    web.distribution,
    'AwsSolutions-CFR2',
    'No AWS WAF web ACL: a CloudFront web ACL must live in us-east-1 (a second region for this app) and is not available for CloudFront in the China regions; the API is authenticated and throttled. Add one when the county requires it.',
  );
  if (!config.webDomain)
    ack(
      web.distribution,
      'AwsSolutions-CFR4',
      'Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose security policy cannot be set. With gridline:webDomain and a certificate the distribution requires TLS 1.2 (TLSv1.2_2021).',
    );

  // CDK's BucketDeployment: a custom resource that copies the built web app and config.json into the
  // site bucket at deploy time. Its function and role are written by CDK, not by us.
  const deployer = web.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!deployer) throw new Error('nag: no BucketDeployment handler');
  const why =
    'CDK BucketDeployment handler (copies the web build and config.json into the site bucket at deploy time); its code and policy are CDK’s.';
  ack(deployer, 'AwsSolutions-L1', `${why} CDK pins its Python runtime.`);
  ack(
    deployer,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${why} Logging only.`,
  );
  const siteArn = `<${logicalId(web.siteBucket.node.defaultChild)}.Arn>`;
  const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-${config.region}/*`;
  for (const finding of [
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    'Resource::*',
    `Resource::${siteArn}/*`,
    `Resource::${assets}`,
  ])
    ack(
      deployer,
      `AwsSolutions-IAM5[${finding}]`,
      `${why} Scoped to the site bucket, the CDK asset bucket and the distribution's invalidations.`,
    );
}
