import { setScopeEnforcement } from '@gridline/data';
import { boundRoutes } from '@gridline/functions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { leakyRoute, leakySpec } from './fixture';
import { runIsolationSuite } from './harness';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ routes: [...boundRoutes, leakyRoute] });
});
afterAll(() => stack.close());
afterEach(() => setScopeEnforcement(true));

const options = { townA: 'qingshi', townB: 'taoyuan', callersA: ['qingshi.admin'], callerB: 'taoyuan.admin', county: 'county.admin' };

describe('the isolation suite bites', () => {
  it('catches a route that reads the town from the path, by its keys and by its data', async () => {
    // With the runtime guard off, the route really leaks: the suite must see both the keys and the data.
    setScopeEnforcement(false);
    const { findings } = await runIsolationSuite(stack, [leakySpec], options);
    const checks = new Set(findings.map((f) => f.check));
    expect(checks).toContain('foreign-key');
    expect(checks).toContain('foreign-data');
  });

  it('still reports the attempt when the runtime guard stops it', async () => {
    const { findings } = await runIsolationSuite(stack, [leakySpec], options);
    const checks = new Set(findings.map((f) => f.check));
    expect(checks).toContain('foreign-key');
    expect(checks).toContain('server-error');
    expect(checks).not.toContain('foreign-data');
  });
});
