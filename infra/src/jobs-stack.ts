import { type JobSpec, jobs, onDemandJobs, townScopedJobs } from '@gridline/functions/manifest';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  assumeTownDataRole,
  dataGuardStatements,
  dataKeyUse,
  JOB_ACCESS,
  jobStatements,
  KEY_READ,
  KEY_READ_WRITE,
  reachesTownKeys,
  townDataRoleArn,
} from './access';
import type { GridlineConfig } from './config';
import { GridlineFunction } from './lambda';

export type JobsStackProps = StackProps & {
  config: GridlineConfig;
  bundleDir: string;
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  reportsArn: string;
  reportsBucketName: string;
  /** The uploads bucket's name (population-book imports read the uploaded file from it). */
  uploadsBucketName: string;
  /** The key that wraps each town's personal-data key; only the town data role may use it. */
  personalKey: kms.IKey;
  cursorSecretRef: string;
};

/** Scheduler's retry policy: jobs are idempotent, so a redelivery is harmless. */
export const SCHEDULE_RETRY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 };
/** Lambda's own retries of an asynchronous invocation that failed inside the function. */
export const ASYNC_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(1) };

/** The on-demand job the town API starts for a committed population-book import (functions/src/jobs/dispatch.ts). */
export const IMPORT_JOB = 'import';
/**
 * The job whose function the county API's "run a rollup now" invokes synchronously, with
 * `{ job: 'rollup-daily', at, period }` (runRollupNow, functions/src/jobs/rollup.ts). The period in the
 * input decides what is rolled up (a day, a month or a quarter), so the daily rollup's function serves
 * every kind; all three rollup jobs have the same JOB_ACCESS.
 */
export const ROLLUP_NOW_JOB = 'rollup-daily';
/** The job the county API runs for one town and waits for (functions/src/jobs/reconcile.ts, reconcileNow). */
export const RECONCILE_NOW_JOB = 'reconcile';
/**
 * The job that restarts job runs whose lease expired (functions/src/jobs/sweep.ts): it invokes the
 * import job's function asynchronously, as the town API does, and may invoke no other.
 */
export const SWEEP_JOB = 'sweep';
/** Write units per second one import may use (GRIDLINE_IMPORT_WCU_PER_SECOND; the data package's default too). */
export const IMPORT_WCU_PER_SECOND = 1500;

/** A job of either kind; `schedule` is set for the scheduled ones. */
type AnyJob = { name: string; summary: string; schedule?: JobSpec };

/**
 * Jobs of the job table (functions/src/jobs/schedule.ts): the scheduled ones, run by EventBridge
 * Scheduler in the county's time zone, and the on-demand ones, invoked asynchronously by the API.
 *
 * Each job gets its own function (the same bundle, `{ job }` as input) so that each has its own role,
 * limited to the keys JOB_ACCESS grants it outside towns. A job that works inside towns (townScopedJobs)
 * also gets GRIDLINE_TOWN_ROLE_ARN and may start sessions of the town data role, one town at a time;
 * the API stack admits these roles in that role's trust policy. A failed run lands in one dead-letter
 * queue either way:
 *   - Scheduler could not invoke the function (after its retry policy) → the schedule's DLQ;
 *   - the function ran and failed (after Lambda's async retries) → the function's on-failure destination.
 * Scheduler and the API invoke asynchronously, so without the second path a job that throws would be lost.
 */
export class JobsStack extends Stack {
  readonly deadLetters: sqs.Queue;
  readonly deadLettersName: string;
  /** Every job's function, scheduled and on demand, by job name. */
  readonly functions: Record<string, GridlineFunction> = {};
  /** The functions of the on-demand jobs (never scheduled), by job name. */
  readonly onDemandFunctions: Record<string, GridlineFunction> = {};
  /** Roles of the town-scoped jobs, by job name: the town data role's trust policy admits each. */
  readonly townScopedRoles: Record<string, iam.IRole> = {};
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

    const all: AnyJob[] = [...jobs.map((j) => ({ name: j.name, summary: j.summary, schedule: j })), ...onDemandJobs];
    for (const name of townScopedJobs)
      if (!all.some((j) => j.name === name)) throw new Error(`townScopedJobs names "${name}", which is not a job of the job table`);
    const townRoleArn = townDataRoleArn(config.county, config.region);

    for (const job of all) {
      const access = JOB_ACCESS[job.name];
      if (!access) throw new Error(`Job "${job.name}" has no entry in JOB_ACCESS (infra/src/access.ts): decide which keys it may touch`);
      const townKeys = [...access.reads, ...access.writes].filter(reachesTownKeys);
      if (townKeys.length > 0)
        throw new Error(
          `JOB_ACCESS of job "${job.name}" names town keys (${townKeys.join(', ')}): a job reaches towns only through the town data role (list it in townScopedJobs)`,
        );
      const townScoped = townScopedJobs.includes(job.name);
      const isImport = job.name === IMPORT_JOB;

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
          // Inside a town the data package assumes this role with the session tag town=<town>.
          ...(townScoped ? { GRIDLINE_TOWN_ROLE_ARN: townRoleArn } : {}),
          ...(isImport
            ? {
                // The uploaded book (towns/<town>/…) and the town's data key, both as the town session.
                GRIDLINE_UPLOADS_BUCKET: props.uploadsBucketName,
                GRIDLINE_KMS_KEY_ID: props.personalKey.keyArn,
                // Set explicitly, so that the pace of an import is visible and changed here.
                GRIDLINE_IMPORT_WCU_PER_SECOND: String(IMPORT_WCU_PER_SECOND),
              }
            : {}),
        },
        environmentKey: envKey,
        // On demand means an import of a whole population book, paced: Lambda's maximum. Scheduled jobs are short.
        timeout: job.schedule ? Duration.minutes(5) : Duration.minutes(15),
        memorySize: 1024,
      });
      this.functions[job.name] = f;
      if (!job.schedule) this.onDemandFunctions[job.name] = f;

      // Deny-only, so harmless on a role without table access, and in place should one be added later.
      f.role.addManagedPolicy(guard);
      for (const s of jobStatements(job.name, access, tableRef, props.reportsArn)) f.role.addToPrincipalPolicy(s);
      // The table key for its own table access and report files only; inside a town the session has it.
      const keyVia: Array<'dynamodb' | 's3'> = [
        ...(access.reads.length > 0 || access.writes.length > 0 ? (['dynamodb'] as const) : []),
        ...(access.reportFiles ? (['s3'] as const) : []),
      ];
      if (keyVia.length > 0)
        f.role.addToPrincipalPolicy(
          dataKeyUse(props.dataKey.keyArn, keyVia, access.writes.length > 0 || access.reportFiles ? KEY_READ_WRITE : KEY_READ),
        );
      if (townScoped) {
        f.role.addToPrincipalPolicy(assumeTownDataRole(townRoleArn));
        this.townScopedRoles[job.name] = f.role;
      }

      new lambda.EventInvokeConfig(this, `Async-${job.name}`, {
        function: f.fn,
        ...ASYNC_RETRY,
        onFailure: new destinations.SqsDestination(this.deadLetters),
      });
      const spec = job.schedule;
      if (!spec) continue;

      schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [f.fn.functionArn] }));
      this.schedules[job.name] = new scheduler.CfnSchedule(this, `Schedule-${job.name}`, {
        name: `gridline-${config.county}-${job.name}`,
        groupName: group.name,
        description: job.summary.slice(0, 512),
        scheduleExpression: `cron(${spec.cron})`,
        scheduleExpressionTimezone: spec.timezone,
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

    // The sweeper starts stopped imports again in the import job's own function (an asynchronous
    // invocation, with that function's retries and dead letters); the lease makes any overlap a no-op.
    const sweeper = this.functions[SWEEP_JOB];
    const importer = this.functions[IMPORT_JOB];
    if (!sweeper || !importer) throw new Error(`The jobs stack needs the "${SWEEP_JOB}" and "${IMPORT_JOB}" jobs`);
    sweeper.fn.addEnvironment('GRIDLINE_JOBS_FUNCTION', importer.fn.functionName);
    sweeper.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'RestartImportJob', actions: ['lambda:InvokeFunction'], resources: [importer.fn.functionArn] }),
    );
  }
}
