import { jobs, onDemandJobs, townScopedJobs } from '@gridline/functions/manifest';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_ACCESS } from '../../src/access';
import { readConfig } from '../../src/config';
import { JobsStack } from '../../src/jobs-stack';
import {
  cdkContext,
  type Json,
  logicalIdOf,
  type Resource,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
  stubBundles,
} from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function jobsSpecs(get: () => Synthesized) {
  let s: Synthesized;
  let schedules: Resource[];
  beforeAll(() => {
    s = get();
    schedules = Object.values(resourcesOf(s.t.jobs, 'AWS::Scheduler::Schedule'));
  });

  const dlqId = () => logicalIdOf(s.stacks.jobs.deadLetters, s.stacks.jobs);
  const scheduleOf = (name: string) => schedules.find((r) => String(r.Properties?.Name).endsWith(`-${name}`))?.Properties as Json;

  describe('schedules', () => {
    it('has one schedule per job of the job table, with its cron', () => {
      expect(schedules).toHaveLength(jobs.length);
      for (const job of jobs) expect(scheduleOf(job.name)?.ScheduleExpression).toBe(`cron(${job.cron})`);
    });

    it('runs in the Asia/Shanghai time zone', () => {
      for (const job of jobs) expect(scheduleOf(job.name)?.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    });

    it('retries and then dead-letters to the jobs queue', () => {
      for (const job of jobs) {
        const target = scheduleOf(job.name)?.Target;
        expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
        expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThan(0);
        expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [dlqId(), 'Arn'] });
      }
    });

    it('invokes the job’s own function with `{ job }` as input', () => {
      for (const job of jobs) {
        const target = scheduleOf(job.name)?.Target;
        const fnId = logicalIdOf(s.stacks.jobs.functions[job.name]?.fn as never, s.stacks.jobs);
        expect(target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
        expect(JSON.parse(target.Input)).toEqual({ job: job.name });
      }
    });

    it('sends a run that fails inside the function to the same queue, for every job (Scheduler and the API invoke asynchronously)', () => {
      const configs = Object.values(resourcesOf(s.t.jobs, 'AWS::Lambda::EventInvokeConfig')).map((c) => c.Properties as Json);
      const names = [...jobs.map((j) => j.name), ...onDemandJobs.map((j) => j.name)];
      expect(configs).toHaveLength(names.length);
      for (const name of names) {
        const fnId = logicalIdOf(s.stacks.jobs.functions[name]?.fn as never, s.stacks.jobs);
        const p = configs.find((c) => c.FunctionName?.Ref === fnId);
        expect(`${name} ${p?.MaximumRetryAttempts > 0}`).toBe(`${name} true`);
        expect(p?.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [dlqId(), 'Arn'] });
      }
    });
  });

  describe('on-demand jobs (import)', () => {
    const fnId = () => logicalIdOf(s.stacks.jobs.functions.import?.fn as never, s.stacks.jobs);
    const fn = () => resourcesOf(s.t.jobs, 'AWS::Lambda::Function')[fnId()]?.Properties as Json;

    it('has a function for each on-demand job, and no schedule that runs it or role that could schedule it', () => {
      expect(onDemandJobs.map((j) => j.name)).toEqual(['import']);
      expect(Object.keys(s.stacks.jobs.onDemandFunctions)).toEqual(['import']);
      expect(s.stacks.jobs.schedules.import).toBeUndefined();
      const target = { 'Fn::GetAtt': [fnId(), 'Arn'] };
      expect(schedules.filter((r) => JSON.stringify(r.Properties?.Target.Arn) === JSON.stringify(target))).toEqual([]);
      // The scheduler's role may invoke the scheduled jobs' functions only.
      const schedulerId = logicalIdOf(s.stacks.jobs.node.findChild('SchedulerRole') as never, s.stacks.jobs);
      const invoked = statementsOfRole(s.t.jobs, schedulerId)
        .filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'))
        .flatMap((st) => [st.Resource].flat());
      expect(invoked).not.toContainEqual(target);
      expect(invoked).toHaveLength(jobs.length);
    });

    it('runs the jobs bundle for up to 15 minutes with 1024 MB, pacing its writes at a rate set in the environment', () => {
      const f = fn();
      expect(f.FunctionName).toBe('gridline-demo-job-import');
      expect(f.Timeout).toBe(900);
      expect(f.MemorySize).toBe(1024);
      expect(f.Handler).toBe('index.handler');
      expect(f.Architectures).toEqual(['arm64']);
      expect(f.Environment.Variables.GRIDLINE_IMPORT_WCU_PER_SECOND).toBe('1500');
      expect(JSON.stringify(f.Environment.Variables.GRIDLINE_UPLOADS_BUCKET)).toContain('gridline-demo-uploads-');
      expect(JSON.stringify(fn().Code)).toEqual(
        JSON.stringify(
          resourcesOf(s.t.jobs, 'AWS::Lambda::Function')[logicalIdOf(s.stacks.jobs.functions.reconcile?.fn as never, s.stacks.jobs)]
            ?.Properties?.Code,
        ),
      );
    });

    it('alarms on the import function’s errors and throttles', () => {
      const alarms = Object.values(resourcesOf(s.t.observability, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
      for (const metric of ['Errors', 'Throttles']) {
        const a = alarms.find(
          (x) =>
            x.Namespace === 'AWS/Lambda' &&
            x.MetricName === metric &&
            JSON.stringify(x.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: 'gridline-demo-job-import' }]),
        );
        expect(`${metric} ${a !== undefined}`).toBe(`${metric} true`);
      }
    });
  });

  describe('the sweeper', () => {
    const fnOf = (name: string) => s.stacks.jobs.functions[name]?.fn as never;
    it('runs every minute and may start the import job’s function, and no other', () => {
      expect(scheduleOf('sweep')?.ScheduleExpression).toBe('cron(* * * * ? *)');
      const sweeperId = logicalIdOf(fnOf('sweep'), s.stacks.jobs);
      const importId = logicalIdOf(fnOf('import'), s.stacks.jobs);
      const props = resourcesOf(s.t.jobs, 'AWS::Lambda::Function')[sweeperId]?.Properties as Json;
      expect(props.Environment.Variables.GRIDLINE_JOBS_FUNCTION).toEqual({ Ref: importId });
      const roleId = logicalIdOf(s.stacks.jobs.functions.sweep?.role as never, s.stacks.jobs);
      const invoked = statementsOfRole(s.t.jobs, roleId)
        .filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'))
        .flatMap((st) => [st.Resource].flat());
      expect(invoked).toEqual([{ 'Fn::GetAtt': [importId, 'Arn'] }]);
    });

    it('works inside towns only through the town data role', () => {
      expect(townScopedJobs).toContain('sweep');
      expect(JOB_ACCESS.sweep).toMatchObject({ reads: ['P#TOWNS'], writes: [] });
      expect(s.stacks.jobs.townScopedRoles.sweep).toBeDefined();
    });
  });

  describe('the dead-letter queue', () => {
    it('is encrypted and refuses requests without TLS', () => {
      const q = resourcesOf(s.t.jobs, 'AWS::SQS::Queue')[dlqId()]?.Properties as Json;
      expect(q.SqsManagedSseEnabled).toBe(true);
      const policy = Object.values(resourcesOf(s.t.jobs, 'AWS::SQS::QueuePolicy'))[0]?.Properties as Json;
      expect(
        policy.PolicyDocument.Statement.some((st: Json) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
      ).toBe(true);
    });

    it('raises an alarm as soon as it holds a message', () => {
      const queueName = resourcesOf(s.t.jobs, 'AWS::SQS::Queue')[dlqId()]?.Properties?.QueueName;
      const alarms = Object.values(resourcesOf(s.t.observability, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
      const dlq = alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
      expect(dlq).toBeDefined();
      expect(dlq?.Dimensions).toEqual([{ Name: 'QueueName', Value: queueName }]);
      expect(dlq?.Threshold).toBe(1);
      expect(dlq?.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    });
  });

  describe('job access', () => {
    const buildJobs = () => {
      const app = new App({ context: cdkContext() });
      const config = readConfig(app.node);
      return new JobsStack(app, 'J', {
        config,
        bundleDir: stubBundles(),
        table: s.stacks.data.table,
        dataKey: s.stacks.data.key,
        reportsArn: 'arn:aws:s3:::x',
        reportsBucketName: 'x',
        uploadsBucketName: 'y',
        personalKey: s.stacks.data.personalKey,
        cursorSecretRef: 'x',
      });
    };
    const without = (job: string, run: () => void) => {
      const saved = JOB_ACCESS[job];
      delete JOB_ACCESS[job];
      try {
        run();
      } finally {
        if (saved) JOB_ACCESS[job] = saved;
      }
    };

    it('builds with the JOB_ACCESS of the repository', () => {
      expect(() => buildJobs()).not.toThrow();
    });

    it('refuses to synthesise a scheduled job that has no entry in JOB_ACCESS', () => {
      without('tenant-summary', () => expect(() => buildJobs()).toThrow(/"tenant-summary" has no entry in JOB_ACCESS/));
    });

    it('refuses to synthesise an on-demand job that has no entry in JOB_ACCESS', () => {
      without('import', () => expect(() => buildJobs()).toThrow(/"import" has no entry in JOB_ACCESS/));
    });

    it('refuses a JOB_ACCESS entry that names a town’s keys: towns are reached through the town data role', () => {
      expect(townScopedJobs).toContain('reconcile');
      const saved = JOB_ACCESS.reconcile;
      if (!saved) throw new Error('no JOB_ACCESS for reconcile');
      for (const pattern of ['T#*#PPL#*', '*'])
        try {
          JOB_ACCESS.reconcile = { ...saved, reads: [...saved.reads, pattern] };
          expect(() => buildJobs()).toThrow(/names town keys/);
        } finally {
          JOB_ACCESS.reconcile = saved;
        }
    });
  });
}
