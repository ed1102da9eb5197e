import { afterEach, describe, expect, it } from 'vitest';
import { client, scopedTown, useSts } from './client';
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
