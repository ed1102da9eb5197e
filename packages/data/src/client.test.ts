import { AppError } from '@gridline/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { client, observeCommands, scopedTown, useSts } from './client';
import { commitChange } from './ops';
import { runInScope } from './scope';

process.env.GRIDLINE_CURSOR_SECRET ??= 'unit-test-secret-123456';

// STS and IAM cannot run here: a fake STS records what the data package asks for.
function fakeSts() {
  const calls: Array<Record<string, unknown>> = [];
  return {
    calls,
    send: async (cmd: { input: Record<string, unknown> }) => {
      calls.push(cmd.input);
      return { Credentials: { AccessKeyId: 'AK', SecretAccessKey: 'SK', SessionToken: 'ST', Expiration: new Date(Date.now() + 900_000) } };
    },
  };
}

describe('town-scoped credentials (deployed mode)', () => {
  afterEach(() => {
    delete process.env.GRIDLINE_TOWN_ROLE_ARN;
    useSts(undefined);
  });

  it('assumes the town role with the caller town as session tag, one client per town', async () => {
    process.env.GRIDLINE_TOWN_ROLE_ARN = 'arn:aws:iam::123456789012:role/gridline-town';
    const sts = fakeSts();
    useSts(sts as never);
    const inTown = (town: string) => runInScope({ requestId: 'r', tenant: town, allowedPrefixes: [`T#${town}#`] }, async () => client());
    const a = await inTown('qingshi');
    const again = await inTown('qingshi');
    const b = await inTown('taoyuan');
    expect(again.base).toBe(a.base);
    expect(b.base).not.toBe(a.base);
    const creds = await (a.base.config.credentials as () => Promise<{ accessKeyId: string }>)();
    expect(creds.accessKeyId).toBe('AK');
    expect(sts.calls[0]).toMatchObject({
      RoleArn: 'arn:aws:iam::123456789012:role/gridline-town',
      Tags: [{ Key: 'town', Value: 'qingshi' }],
    });
  });

  it('gives KMS and S3 clients the same town credentials (scopedTown), and none outside a single town', async () => {
    process.env.GRIDLINE_TOWN_ROLE_ARN = 'arn:aws:iam::123456789012:role/gridline-town';
    useSts(fakeSts() as never);
    const inTown = await runInScope({ requestId: 'r', tenant: 'qingshi', allowedPrefixes: ['T#qingshi#'] }, async () => scopedTown());
    const again = await runInScope({ requestId: 'r', tenant: 'qingshi', allowedPrefixes: ['T#qingshi#'] }, async () => scopedTown());
    expect(inTown?.townId).toBe('qingshi');
    expect(again?.credentials).toBe(inTown?.credentials);
    expect(await runInScope({ requestId: 'r', tenant: 'county', allowedPrefixes: ['P#'] }, async () => scopedTown())).toBeUndefined();
    expect(
      await runInScope({ requestId: 'r', tenant: 'qingshi', allowedPrefixes: ['T#qingshi#', 'P#'] }, async () => scopedTown()),
    ).toBeUndefined();
  });

  it('uses the function role for county work and without the setting', async () => {
    const county = await runInScope({ requestId: 'r', tenant: 'county', allowedPrefixes: ['P#'] }, async () => client());
    const town = await runInScope({ requestId: 'r', tenant: 'qingshi', allowedPrefixes: ['T#qingshi#'] }, async () => client());
    expect(town.base).toBe(county.base);
  });
});

describe('the write gate of a scope', () => {
  it('sends no write while the gate is pending and fails every write with its refusal', async () => {
    const refused = new AppError('tenant.suspended', 403, 'Your town is suspended.');
    let refuse: (e: unknown) => void = () => undefined;
    const gate = new Promise((_, reject) => {
      refuse = reject;
    });
    gate.catch(() => undefined);
    // The SDK resolves credentials before the gate: fake ones, for a write that must never be sent.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'gate-test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'gate-test');
    const sent: string[] = [];
    const stop = observeCommands((o) => sent.push(o.operation));
    try {
      const write = runInScope({ requestId: 'r', tenant: 'qingshi', allowedPrefixes: ['T#qingshi#'], writeGate: gate }, () =>
        commitChange({ writes: [{ kind: 'create', item: { pk: 'T#qingshi#X', sk: 'Y' } }], audit: [] }),
      );
      const settled = write.then(
        () => 'written',
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 20));
      expect(sent).toEqual([]);
      refuse(refused);
      expect(await settled).toBe(refused);
      expect(sent).toEqual([]);
    } finally {
      stop();
      vi.unstubAllEnvs();
    }
  });
});
