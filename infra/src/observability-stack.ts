import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { GridlineConfig } from './config';

export type ObservabilityStackProps = StackProps & {
  config: GridlineConfig;
  apiId: string;
  tableName: string;
  /** Every function's name, by a short name (`county`, `town`, `job-tenant-summary`, …). */
  functionNames: Record<string, string>;
  deadLettersName: string;
};

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms and a dashboard. Alarms go to one SNS topic (encrypted; optionally mailed to the county's
 * operator). Logging, metrics and tracing themselves are configured on each function (Powertools
 * environment, JSON logs, X-Ray).
 */
export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = `gridline-${config.county}`;

    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Gridline ${config.county}: encrypts the alarm topic`,
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to an encrypted topic only if the key lets it.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', { topicName: `${prefix}-alarms`, masterKey: key, enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const notify = new actions.SnsAction(this.topic);

    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        alarmName: `${prefix}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(notify);
      a.addOkAction(notify);
      this.alarms.push(a);
      return a;
    };

    const api = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.apiId },
        statistic,
        period: FIVE_MINUTES,
      });
    const api5xx = api('5xx');
    alarm('api-5xx', api5xx, 5, 'The HTTP API answered 5 or more server errors within 5 minutes');

    const functionErrors: cloudwatch.IMetric[] = [];
    const functionThrottles: cloudwatch.IMetric[] = [];
    const durations: cloudwatch.IMetric[] = [];
    const fnMetric = (functionName: string, metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: functionName },
        statistic,
        period: FIVE_MINUTES,
      });
    for (const [name, functionName] of Object.entries(props.functionNames)) {
      const errors = fnMetric(functionName, 'Errors', 'Sum');
      const throttles = fnMetric(functionName, 'Throttles', 'Sum');
      functionErrors.push(errors.with({ label: name }));
      functionThrottles.push(throttles.with({ label: name }));
      durations.push(fnMetric(functionName, 'Duration', 'p95').with({ label: name }));
      alarm(`fn-${name}-errors`, errors, name.startsWith('job-') ? 1 : 5, `Function ${name} failed within 5 minutes`);
      alarm(`fn-${name}-throttles`, throttles, 1, `Function ${name} was throttled (concurrency exhausted)`);
    }

    const ddb = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.tableName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    const tableThrottles = new cloudwatch.MathExpression({
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: { r: ddb('ReadThrottleEvents'), w: ddb('WriteThrottleEvents') },
      label: 'table throttle events',
      period: FIVE_MINUTES,
    });
    alarm('table-throttles', tableThrottles, 1, 'DynamoDB throttled reads or writes on the Gridline table');

    const dlqDepth = new cloudwatch.Metric({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensionsMap: { QueueName: props.deadLettersName },
      statistic: 'Maximum',
      period: FIVE_MINUTES,
    });
    alarm('jobs-dead-letters', dlqDepth, 1, 'A job (scheduled, or an import) failed after its retries: see the dead-letter queue');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `Gridline-${config.county}`,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: `# Gridline — ${config.countyName}\nAPI, functions, table and jobs. Alarms notify the topic \`${prefix}-alarms\`.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'API requests', left: [api('Count')], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'API 4xx / 5xx', left: [api('4xx'), api5xx], width: 8 }),
          new cloudwatch.GraphWidget({
            title: 'API latency p95 (ms)',
            left: [api('Latency', 'p95'), api('IntegrationLatency', 'p95')],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Function errors', left: functionErrors, width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Function throttles', left: functionThrottles, width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Function duration p95 (ms)', left: durations, width: 8 }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Table capacity consumed',
            left: [ddb('ConsumedReadCapacityUnits'), ddb('ConsumedWriteCapacityUnits')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({ title: 'Table throttles', left: [tableThrottles], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Job dead letters', left: [dlqDepth], width: 8 }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}
