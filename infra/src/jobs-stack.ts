import { jobs } from '@gridline/functions/manifest';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { dataGuardStatements, dataKeyUse, JOB_ACCESS, jobStatements, KEY_READ, KEY_READ_WRITE } from './access';
import type { GridlineConfig } from './config';
import { GridlineFunction } from './lambda';

export type JobsStackProps = StackProps & {
  config: GridlineConfig;
  bundleDir: string;
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  reportsArn: string;
  reportsBucketName: string;
  cursorSecretRef: string;
};

/** Scheduler's retry policy: jobs are idempotent, so a redelivery is harmless. */
export const SCHEDULE_RETRY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 };
/** Lambda's own retries of an asynchronous invocation that failed inside the function. */
export const ASYNC_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(1) };

/**
 * The scheduled jobs of the job table (functions/src/jobs/schedule.ts), in the county's time zone.
 *
 * Each job gets its own function (the same bundle, `{ job }` as input) so that each has its own role,
 * limited to the keys JOB_ACCESS grants it. A failed run lands in one dead-letter queue either way:
 *   - Scheduler could not invoke the function (after its retry policy) → the schedule's DLQ;
 *   - the function ran and failed (after Lambda's async retries) → the function's on-failure destination.
 * Scheduler invokes Lambda asynchronously, so without the second path a job that throws would be lost.
 */
export class JobsStack extends Stack {
  readonly deadLetters: sqs.Queue;
  readonly deadLettersName: string;
  readonly functions: Record<string, GridlineFunction> = {};
  readonly schedules: Record<string, scheduler.CfnSchedule> = {};

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const tableRef = { tableArn: table.tableArn };

    this.deadLettersName = `gridline-${config.county}-job-failures`;
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: this.deadLettersName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Failed runs are re-run by hand and then removed; drain the queue before a teardown.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const envKey = new kms.Key(this, 'EnvironmentKey', {
      description: `Gridline ${config.county}: encrypts the job functions' environment`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const guard = new iam.ManagedPolicy(this, 'DataGuard', {
      description: 'Gridline jobs: no Scan or PartiQL; audit entries cannot be updated or deleted',
      statements: dataGuardStatements(tableRef),
    });

    const group = new scheduler.CfnScheduleGroup(this, 'Group', { name: `gridline-${config.county}` });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: invokes the Gridline job functions, dead-letters what it cannot deliver',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    this.deadLetters.grantSendMessages(schedulerRole);

    for (const job of jobs) {
      const access = JOB_ACCESS[job.name];
      if (!access) throw new Error(`Job "${job.name}" has no entry in JOB_ACCESS (infra/src/access.ts): decide which keys it may touch`);
      const f = new GridlineFunction(this, `Job-${job.name}`, {
        bundleDir: props.bundleDir,
        area: 'jobs',
        name: `job-${job.name}`,
        county: config.county,
        description: `Gridline job ${job.name}: ${job.summary}`.slice(0, 256),
        environment: {
          GRIDLINE_TABLE: table.tableName,
          GRIDLINE_CURSOR_SECRET: props.cursorSecretRef,
          GRIDLINE_REPORTS_BUCKET: props.reportsBucketName,
        },
        environmentKey: envKey,
        timeout: Duration.minutes(5),
        memorySize: 1024,
      });
      this.functions[job.name] = f;
      f.role.addManagedPolicy(guard);
      for (const s of jobStatements(job.name, access, tableRef, props.reportsArn)) f.role.addToPrincipalPolicy(s);
      f.role.addToPrincipalPolicy(
        dataKeyUse(
          props.dataKey.keyArn,
          access.reportFiles ? ['dynamodb', 's3'] : ['dynamodb'],
          access.writes.length ? KEY_READ_WRITE : KEY_READ,
        ),
      );
      new lambda.EventInvokeConfig(this, `Async-${job.name}`, {
        function: f.fn,
        ...ASYNC_RETRY,
        onFailure: new destinations.SqsDestination(this.deadLetters),
      });
      schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [f.fn.functionArn] }));

      this.schedules[job.name] = new scheduler.CfnSchedule(this, `Schedule-${job.name}`, {
        name: `gridline-${config.county}-${job.name}`,
        groupName: group.name,
        description: job.summary.slice(0, 512),
        scheduleExpression: `cron(${job.cron})`,
        scheduleExpressionTimezone: job.timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: f.fn.functionArn,
          roleArn: schedulerRole.roleArn,
          input: JSON.stringify({ job: job.name }),
          retryPolicy: SCHEDULE_RETRY,
          deadLetterConfig: { arn: this.deadLetters.queueArn },
        },
      });
      this.schedules[job.name]?.addResourceDependency(group);
    }
  }
}
