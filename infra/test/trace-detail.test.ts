import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';
import { cdkContext, resourcesOf, SYNTH_TIMEOUT, synthGridline } from './support';

describe('gridline:traceDetail', () => {
  const read = (value: unknown) => readConfig(new App({ context: cdkContext({ 'gridline:traceDetail': value }) }).node).traceDetail;

  it('is off when absent, and takes true or false from cdk.json or -c', () => {
    expect(readConfig(new App({ context: cdkContext() }).node).traceDetail).toBe(false);
    expect(read(true)).toBe(true);
    expect(read('true')).toBe(true);
    expect(read('false')).toBe(false);
    expect(() => read('yes')).toThrow(/gridline:traceDetail/);
  });

  it(
    'on, every API function gets GRIDLINE_TRACE_DETAIL=1',
    () => {
      const s = synthGridline({ context: { 'gridline:traceDetail': 'true' } });
      const api = Object.entries(resourcesOf(s.t.api, 'AWS::Lambda::Function')).filter(([id]) => id.startsWith('Area'));
      expect(api.length).toBeGreaterThan(0);
      for (const [id, f] of api) expect(`${id} ${f.Properties?.Environment.Variables.GRIDLINE_TRACE_DETAIL}`).toBe(`${id} 1`);
    },
    SYNTH_TIMEOUT,
  );
});
