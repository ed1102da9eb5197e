import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonLogger } from './log';
import { RequestMetrics } from './metrics';

function captured() {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return () =>
    lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
}

describe('the JSON logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes one JSON line with the level, the Lambda context, the appended keys and an error by name and message', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const read = captured();
    const log = new JsonLogger('gridline');
    log.addContext({ functionName: 'gridline-town', awsRequestId: 'aws-1', memoryLimitInMB: '512', invokedFunctionArn: 'arn' } as Context);
    log.appendKeys({ requestId: 'req-1' });
    log.error('request failed', { error: new TypeError('bad') });
    const [line] = read();
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      service: 'gridline',
      cold_start: true,
      function_name: 'gridline-town',
      requestId: 'req-1',
      error: { name: 'TypeError', message: 'bad' },
    });
    log.resetKeys();
    log.addContext({ functionName: 'gridline-town' } as Context);
    log.warn('later');
    expect(read()[1]).toMatchObject({ level: 'WARN', cold_start: false });
    expect(read()[1].requestId).toBeUndefined();
  });

  it('writes nothing below its level, and nothing at all when SILENT', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    const read = captured();
    new JsonLogger('gridline').info('quiet');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    new JsonLogger('gridline').error('quiet too');
    expect(read()).toEqual([]);
  });
});

describe('request metrics (EMF)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('names every figure in the directive, under the service and area dimensions, and starts afresh', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', '');
    const read = captured();
    const m = new RequestMetrics('Gridline', 'gridline');
    m.addDimension('area', 'town');
    m.addMetric('Requests', 'Count', 1);
    m.addMetric('Latency', 'Milliseconds', 12);
    m.publish();
    m.publish();
    const lines = read();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'gridline', area: 'town', Requests: 1, Latency: 12 });
    expect(lines[0]._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Gridline',
        Dimensions: [['service', 'area']],
        Metrics: [
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'Latency', Unit: 'Milliseconds' },
        ],
      },
    ]);
  });

  it('writes nothing when switched off', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const read = captured();
    const m = new RequestMetrics('Gridline', 'gridline');
    m.addMetric('Requests', 'Count', 1);
    m.publish();
    expect(read()).toEqual([]);
  });
});
