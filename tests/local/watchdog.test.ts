import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoAnswers as answers, superviseDynamo } from '@gridline/local';
import { expect, it } from 'vitest';

it('the local runtime reports a dead DynamoDB Local and restarts it on the same port and data dir', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridline-watchdog-'));
  const lines: string[] = [];
  // Its own DynamoDB Local (never the shared one of the run), killed as a crash would kill it.
  const dynamo = await superviseDynamo({ dataDir }, (l) => lines.push(l));
  try {
    const first = dynamo.current();
    first.process.kill('SIGKILL');
    await expect.poll(() => dynamo.current() !== first && answers(dynamo.endpoint), { timeout: 60_000, interval: 250 }).toBe(true);
    expect(dynamo.current().port).toBe(first.port);
    expect(lines[0]).toMatch(/DynamoDB Local exited \(SIGKILL\); restarting it on port \d+/);
    expect(lines.at(-1)).toMatch(/back on port/);
  } finally {
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Stopped on purpose: no restart follows.
  await new Promise((r) => setTimeout(r, 1000));
  expect(await answers(dynamo.endpoint)).toBe(false);
});
