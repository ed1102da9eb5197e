import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { instrumentClients } from '@gridline/data';

/**
 * Metrics (CloudWatch embedded metric format) and tracing (X-Ray), once per process. Outside Lambda
 * the tracer is off by itself; local runs and tests switch metrics off with POWERTOOLS_METRICS_DISABLED.
 */
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Gridline', serviceName: 'gridline' });
export const tracer = new Tracer({ serviceName: 'gridline' });

// Every AWS client the data package builds (DynamoDB, per town too) is traced.
instrumentClients((c) => tracer.captureAWSv3Client(c));

/** One request's figures: count, outcome, latency and DynamoDB capacity, by area (never by town or person). */
export function recordRequest(area: string, status: number, ms: number, consumed: { read: number; write: number }) {
  metrics.addDimension('area', area);
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.addMetric(status >= 500 ? 'ServerErrors' : status >= 400 ? 'ClientErrors' : 'Successes', MetricUnit.Count, 1);
  metrics.addMetric('Latency', MetricUnit.Milliseconds, ms);
  metrics.addMetric('ReadUnits', MetricUnit.Count, consumed.read);
  metrics.addMetric('WriteUnits', MetricUnit.Count, consumed.write);
  metrics.publishStoredMetrics();
}

/** Runs `fn` in an X-Ray subsegment named after the route, annotated with the route and the town. */
export async function traced<T>(name: string, annotations: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return fn();
  const parent = tracer.getSegment();
  const sub = parent?.addNewSubsegment(`## ${name}`);
  if (sub) tracer.setSegment(sub);
  for (const [k, v] of Object.entries(annotations)) tracer.putAnnotation(k, v);
  try {
    return await fn();
  } catch (e) {
    sub?.addError(e as Error);
    throw e;
  } finally {
    sub?.close();
    if (parent) tracer.setSegment(parent);
  }
}
