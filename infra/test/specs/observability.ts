import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, resourcesOf, type Synthesized, type Json } from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function observabilitySpecs(get: () => Synthesized) {
  let s: Synthesized;
  let alarms: Array<Json>;
  beforeAll(() => {
    s = get();
    alarms = Object.values(resourcesOf(s.t.observability, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
  });

  describe('alarms', () => {
    it('alarm on the HTTP API’s 5xx answers', () => {
      const a = alarms.find((x) => x.Namespace === 'AWS/ApiGateway' && x.MetricName === '5xx');
      expect(a).toBeDefined();
      expect(JSON.stringify(a?.Dimensions)).toContain('ApiId');
    });

    it('alarm on errors and throttles of every function', () => {
      const names = Object.keys({
        ...s.stacks.api.functions,
        ...Object.fromEntries(Object.keys(s.stacks.jobs.functions).map((k) => [`job-${k}`, 1])),
      });
      for (const metric of ['Errors', 'Throttles']) {
        const covered = alarms.filter((x) => x.Namespace === 'AWS/Lambda' && x.MetricName === metric);
        expect(`${metric} ${covered.length}`).toBe(`${metric} ${names.length}`);
      }
    });

    it('alarm on DynamoDB throttling of the table', () => {
      const a = alarms.find((x) => JSON.stringify(x.Metrics ?? []).includes('ThrottleEvents'));
      expect(a).toBeDefined();
      expect(JSON.stringify(a?.Metrics)).toContain('gridline-demo');
    });

    it('alarm on the jobs dead-letter queue', () => {
      expect(alarms.some((x) => x.Namespace === 'AWS/SQS' && x.MetricName === 'ApproximateNumberOfMessagesVisible')).toBe(true);
    });

    it('every alarm notifies the alarm topic, which is encrypted and mailed to the operator', () => {
      const topicId = logicalIdOf(s.stacks.observability.topic, s.stacks.observability);
      expect(alarms.length).toBeGreaterThanOrEqual(4);
      for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
      const topic = resourcesOf(s.t.observability, 'AWS::SNS::Topic')[topicId]?.Properties as Json;
      expect(topic.KmsMasterKeyId).toBeDefined();
      const subs = Object.values(resourcesOf(s.t.observability, 'AWS::SNS::Subscription')).map((x) => x.Properties as Json);
      expect(subs).toEqual([expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.org' })]);
    });
  });

  describe('dashboard', () => {
    it('exists, with API, function, table and job widgets', () => {
      const dashboards = Object.values(resourcesOf(s.t.observability, 'AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]?.Properties?.DashboardBody);
      for (const part of ['AWS/ApiGateway', 'AWS/Lambda', 'AWS/DynamoDB', 'AWS/SQS']) expect(body).toContain(part);
    });
  });
}
