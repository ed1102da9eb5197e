import { join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The runtime of every Gridline function: the newest Lambda Node runtime (bundles target node22). */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;
/** Log retention of every function and of the API access log: at least 180 days. */
export const LOG_RETENTION = logs.RetentionDays.SIX_MONTHS;

export type GridlineFunctionProps = {
  /** Folder holding the pre-built bundles, one `<area>/index.mjs` each (functions/src/build.ts). */
  bundleDir: string;
  /** The bundle (area) this function runs. */
  area: string;
  /** Name used in the function name, logs and metrics. */
  name: string;
  county: string;
  description: string;
  environment: Record<string, string>;
  environmentKey: kms.IKey;
  timeout: Duration;
  memorySize?: number;
};

/**
 * One Lambda function with its own role and its own log group: arm64, the current Node runtime, the
 * pre-built esbuild bundle as the code asset, X-Ray tracing, and Powertools configured through the
 * environment. The role starts with nothing but writing its own logs; callers add exactly what the
 * function needs.
 */
export class GridlineFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The function's name, as a literal (for metrics in other stacks without an export). */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: GridlineFunctionProps) {
    super(scope, id);
    const functionName = `gridline-${props.county}-${props.name}`;
    this.functionName = functionName;
    // Not named: a retained group with a fixed name would block redeploying after a teardown.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'OwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${this.logGroup.logGroupArn}`],
      }),
    );
    this.fn = new lambda.Function(this, 'Function', {
      functionName,
      description: props.description,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(props.bundleDir, props.area)),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 512,
      environmentEncryption: props.environmentKey,
      environment: {
        POWERTOOLS_SERVICE_NAME: `gridline-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Gridline',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        // Responses and errors can hold personal data: traces keep timings, not payloads.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        ...props.environment,
      },
    });
  }
}
