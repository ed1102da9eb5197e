import { jobs } from '@gridline/functions/manifest';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_ACCESS } from '../../src/access';
import { readConfig } from '../../src/config';
import { JobsStack } from '../../src/jobs-stack';
import { cdkContext, logicalIdOf, type Resource, resourcesOf, type Synthesized, stubBundles, type Json } from '../support';

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

    it('sends a run that fails inside the function to the same queue (Scheduler invokes asynchronously)', () => {
      const configs = Object.values(resourcesOf(s.t.jobs, 'AWS::Lambda::EventInvokeConfig'));
      expect(configs).toHaveLength(jobs.length);
      for (const c of configs) {
        const p = c.Properties as Json;
        expect(p.MaximumRetryAttempts).toBeGreaterThan(0);
        expect(p.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [dlqId(), 'Arn'] });
      }
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
    it('refuses to synthesise a job that has no entry in JOB_ACCESS', () => {
      const saved = JOB_ACCESS['tenant-summary'];
      delete JOB_ACCESS['tenant-summary'];
      try {
        const app = new App({ context: cdkContext() });
        const config = readConfig(app.node);
        expect(
          () =>
            new JobsStack(app, 'J', {
              config,
              bundleDir: stubBundles(),
              table: s.stacks.data.table,
              dataKey: s.stacks.data.key,
              reportsArn: 'arn:aws:s3:::x',
              reportsBucketName: 'x',
              cursorSecretRef: 'x',
            }),
        ).toThrow(/JOB_ACCESS/);
      } finally {
        if (saved) JOB_ACCESS['tenant-summary'] = saved;
      }
    });
  });
}
