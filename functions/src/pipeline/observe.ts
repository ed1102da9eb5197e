import type { RouteSpec } from '../routes';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './log';
import { type Middleware, stateOf } from './state';
import { annotate } from './trace';

/**
 * Metrics (CloudWatch embedded metric format), once per process; local runs and tests switch them off
 * with POWERTOOLS_METRICS_DISABLED. Tracing (X-Ray) is in ./trace.ts, loaded only when switched on.
 */
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Gridline', serviceName: 'gridline' });

/** One request's figures: count, outcome, latency and DynamoDB capacity, by area (never by town or person). */
export function recordRequest(area: string, status: number, ms: number, consumed: { read: number; write: number }) {
  metrics.addDimension('area', area);
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.addMetric(status >= 500 ? 'ServerErrors' : status >= 400 ? 'ClientErrors' : 'Successes', MetricUnit.Count, 1);
  if (status === 503) metrics.addMetric('Unavailable', MetricUnit.Count, 1);
  metrics.addMetric('Latency', MetricUnit.Milliseconds, ms);
  metrics.addMetric('ReadUnits', MetricUnit.Count, consumed.read);
  metrics.addMetric('WriteUnits', MetricUnit.Count, consumed.write);
}

/**
 * The request's log keys and trace annotation first (route, request id), and its one log line and
 * metrics last: used before the error middleware, so that on failure it sees the status sent.
 */
export const requestLog = (spec: RouteSpec): Middleware => {
  const finish = (request: Parameters<NonNullable<Middleware['after']>>[0]) => {
    const state = stateOf(request.event, spec);
    const status = request.response?.statusCode ?? 500;
    const ms = Date.now() - state.started;
    // Only the route, status, timing and capacity: never a body, a query or a path with personal data.
    logger.info('request', { method: spec.method, path: spec.path, status, ms, capacity: state.consumed });
    recordRequest(spec.area, status, ms, state.consumed);
  };
  return {
    before: (request) => {
      const state = stateOf(request.event, spec);
      logger.appendKeys({ requestId: state.requestId, route: spec.id });
      annotate('route', spec.id);
    },
    after: finish,
    onError: finish,
  };
};
