import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_KEY_PATTERNS, JOB_ACCESS, TOWN_KEY_PATTERN, UNSCOPED_ACTIONS } from '../../src/access';
import { decide, type SimRequest, type Statement } from '../policy-sim';
import { actionsOf, allStatements, logicalIdOf, resourcesOf, type Synthesized, statementsOfRole, type Json } from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function accessSpecs(get: () => Synthesized) {
  let s: Synthesized;
  beforeAll(() => {
    s = get();
  });

  const dynamo = (sts: Array<Record<string, unknown>>) =>
    sts.filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:'))) as unknown as Statement[];
  const townRole = () => statementsOfRole(s.t.api, logicalIdOf(s.stacks.api.townDataRole, s.stacks.api));
  const fnRole = (area: string) => {
    const f = s.stacks.api.functions[area];
    if (!f) throw new Error(`no function ${area}`);
    return statementsOfRole(s.t.api, logicalIdOf(f.role, s.stacks.api));
  };
  const jobRole = (job: string) => {
    const f = s.stacks.jobs.functions[job];
    if (!f) throw new Error(`no job ${job}`);
    return statementsOfRole(s.t.jobs, logicalIdOf(f.role, s.stacks.jobs));
  };
  const asTown = (town: string, r: Omit<SimRequest, 'principalTags'>): SimRequest => ({ ...r, principalTags: { town } });

  describe('the town data role', () => {
    it('limits every allowed DynamoDB action to partition keys under the session’s town, with the Null guard', () => {
      const allows = dynamo(townRole()).filter((st) => st.Effect === 'Allow');
      expect(allows.length).toBeGreaterThan(0);
      for (const st of allows) {
        expect(st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([TOWN_KEY_PATTERN]);
        expect(TOWN_KEY_PATTERN).toBe(`T#\${aws:PrincipalTag/town}#*`);
        expect(st.Condition?.Null?.['dynamodb:LeadingKeys']).toBe('false');
      }
    });

    it('allows only item-level actions: no Scan, no PartiQL, no table management', () => {
      const allowed = dynamo(townRole())
        .filter((st) => st.Effect === 'Allow')
        .flatMap((st) => actionsOf(st as unknown as Record<string, unknown>));
      expect(new Set(allowed)).toEqual(
        new Set([
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:BatchWriteItem',
        ]),
      );
    });

    it('admits its own town and refuses another town, a request without keys, Scan and PartiQL (evaluated)', () => {
      const sts = dynamo(townRole());
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:Query', leadingKeys: ['T#qingshi#ORG'] }))).toBe('allow');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:PutItem', leadingKeys: ['T#qingshi#STAFF'] }))).toBe('allow');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:Query', leadingKeys: ['T#baisha#ORG'] }))).toBe('deny');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:BatchGetItem', leadingKeys: ['T#qingshi#ORG', 'T#baisha#ORG'] }))).toBe(
        'deny',
      );
      // A prefix of another town's id must not pass: `qing` is not `qingshi`.
      expect(decide(sts, asTown('qing', { action: 'dynamodb:GetItem', leadingKeys: ['T#qingshi#META'] }))).toBe('deny');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:GetItem', leadingKeys: ['P#TOWN#qingshi'] }))).toBe('deny');
      // The Null guard: without it ForAllValues is vacuously true for a request with no keys.
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:GetItem' }))).toBe('deny');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:Scan' }))).toBe('deny');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:Scan', leadingKeys: ['T#qingshi#ORG'] }))).toBe('deny');
      expect(decide(sts, asTown('qingshi', { action: 'dynamodb:PartiQLSelect', leadingKeys: ['T#qingshi#ORG'] }))).toBe('deny');
      // A session without the tag reaches nothing.
      expect(decide(sts, { action: 'dynamodb:GetItem', leadingKeys: ['T#qingshi#META'] })).toBe('deny');
    });

    it('can be assumed only by the town function, only with exactly one non-empty `town` session tag', () => {
      const role = resourcesOf(s.t.api, 'AWS::IAM::Role')[logicalIdOf(s.stacks.api.townDataRole, s.stacks.api)];
      const trust = role?.Properties?.AssumeRolePolicyDocument.Statement as Json[];
      expect(trust).toHaveLength(1);
      const st = trust[0];
      expect([st.Action].flat().sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      const townFnRole = logicalIdOf(s.stacks.api.functions.town?.role as never, s.stacks.api);
      expect(st.Principal).toEqual({ AWS: { 'Fn::GetAtt': [townFnRole, 'Arn'] } });
      expect(st.Condition.StringLike['aws:RequestTag/town']).toBe('?*');
      expect(st.Condition['ForAllValues:StringEquals']['aws:TagKeys']).toEqual(['town']);
    });
  });

  describe('the request functions', () => {
    it('the town function may assume and tag the town data role, and holds no DynamoDB permission itself', () => {
      const sts = fnRole('town');
      const assume = sts.find((st) => actionsOf(st).includes('sts:AssumeRole'));
      expect(actionsOf(assume ?? {}).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      expect((assume?.Resource as Json)?.['Fn::GetAtt'][0]).toBe(logicalIdOf(s.stacks.api.townDataRole, s.stacks.api));
      expect(dynamo(sts).filter((st) => st.Effect === 'Allow')).toEqual([]);
    });

    it('the town function is told which role to assume', () => {
      const fnId = logicalIdOf(s.stacks.api.functions.town?.fn as never, s.stacks.api);
      const env = resourcesOf(s.t.api, 'AWS::Lambda::Function')[fnId]?.Properties?.Environment.Variables;
      expect(env.GRIDLINE_TOWN_ROLE_ARN).toEqual({ 'Fn::GetAtt': [logicalIdOf(s.stacks.api.townDataRole, s.stacks.api), 'Arn'] });
    });

    it('the public function has no data access', () => {
      expect(dynamo(fnRole('public')).filter((st) => st.Effect === 'Allow')).toEqual([]);
    });

    it('the county function reaches platform items, writes (never reads) town items, and reads only a town’s META', () => {
      const sts = dynamo(fnRole('county'));
      for (const st of sts.filter((x) => x.Effect === 'Allow')) expect(st.Condition?.Null?.['dynamodb:LeadingKeys']).toBe('false');
      const county = (r: SimRequest) => decide(sts, r);
      expect(county({ action: 'dynamodb:Query', leadingKeys: ['P#TOWNS'] })).toBe('allow');
      expect(county({ action: 'dynamodb:PutItem', leadingKeys: ['P#TOWN#qingshi'] })).toBe('allow');
      // Provisioning: a new town's seed items and counters, and the suspend/resume META update.
      expect(county({ action: 'dynamodb:PutItem', leadingKeys: ['T#qingshi#CONFIG'] })).toBe('allow');
      expect(county({ action: 'dynamodb:UpdateItem', leadingKeys: ['T#qingshi#COUNT'] })).toBe('allow');
      expect(county({ action: 'dynamodb:GetItem', leadingKeys: ['T#qingshi#META'] })).toBe('allow');
      // ...but no reading of town data, and no write that returns the old item.
      expect(county({ action: 'dynamodb:GetItem', leadingKeys: ['T#qingshi#STAFF'] })).toBe('deny');
      expect(county({ action: 'dynamodb:Query', leadingKeys: ['T#qingshi#ORG'] })).toBe('deny');
      expect(county({ action: 'dynamodb:PutItem', leadingKeys: ['T#qingshi#ORG'], context: { 'dynamodb:ReturnValues': 'ALL_OLD' } })).toBe(
        'deny',
      );
      expect(county({ action: 'dynamodb:Scan' })).toBe('deny');
    });
  });

  describe('the jobs', () => {
    it('each job role is limited to the keys JOB_ACCESS grants it, with the Null guard', () => {
      for (const [job, access] of Object.entries(JOB_ACCESS)) {
        const allows = dynamo(jobRole(job)).filter((st) => st.Effect === 'Allow');
        expect(allows.length).toBeGreaterThan(0);
        for (const st of allows) {
          const patterns = st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
          expect([...access.reads, ...access.writes]).toEqual(expect.arrayContaining([patterns].flat()));
          expect(st.Condition?.Null?.['dynamodb:LeadingKeys']).toBe('false');
        }
      }
    });

    it('the tenant-summary job reads the registry and writes only reports; it cannot touch a town', () => {
      const sts = dynamo(jobRole('tenant-summary'));
      expect(decide(sts, { action: 'dynamodb:Query', leadingKeys: ['P#TOWNS'] })).toBe('allow');
      expect(decide(sts, { action: 'dynamodb:PutItem', leadingKeys: ['P#REPORT#TENANTS'] })).toBe('allow');
      expect(decide(sts, { action: 'dynamodb:PutItem', leadingKeys: ['P#TOWN#qingshi'] })).toBe('deny');
      expect(decide(sts, { action: 'dynamodb:GetItem', leadingKeys: ['T#qingshi#META'] })).toBe('deny');
    });
  });

  describe('every role that reaches the table', () => {
    const rolesWithTableAccess = () =>
      [
        ['town data role', townRole()],
        ['county function', fnRole('county')],
        ...Object.keys(JOB_ACCESS).map((j) => [`job ${j}`, jobRole(j)] as const),
      ] as Array<[string, Array<Record<string, unknown>>]>;

    it('is denied Scan and PartiQL explicitly, and no Allow anywhere in the app grants them', () => {
      for (const [name, sts] of rolesWithTableAccess()) {
        const denied = dynamo(sts)
          .filter((st) => st.Effect === 'Deny')
          .flatMap((st) => actionsOf(st as never));
        expect(`${name}: ${UNSCOPED_ACTIONS.every((a) => denied.includes(a))}`).toBe(`${name}: true`);
      }
      const allows = Object.values(s.json)
        .flatMap(allStatements)
        .filter((st) => st.Effect === 'Allow')
        .flatMap((st) => actionsOf(st));
      expect(allows.length).toBeGreaterThan(20);
      expect(allows.filter((a) => /^dynamodb:(Scan|PartiQL|\*)/.test(a) || a === '*')).toEqual([]);
    });

    it('cannot update, delete or batch-write an audit entry, town or platform (evaluated)', () => {
      for (const [name, sts] of rolesWithTableAccess()) {
        const deny = dynamo(sts).find(
          (st) =>
            st.Effect === 'Deny' &&
            JSON.stringify(st.Condition?.['ForAnyValue:StringLike']?.['dynamodb:LeadingKeys']) === JSON.stringify(AUDIT_KEY_PATTERNS),
        );
        expect(deny, name).toBeDefined();
        const sim = dynamo(sts);
        for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
          for (const key of ['T#qingshi#AUDIT#2026-01-01', 'P#AUDIT#2026-01-01'])
            expect(`${name} ${action} ${key}: ${decide(sim, { action, leadingKeys: [key], principalTags: { town: 'qingshi' } })}`).toBe(
              `${name} ${action} ${key}: deny`,
            );
      }
      // Writing a new audit entry (a Put inside the change's transaction) stays possible for the town.
      expect(
        decide(dynamo(townRole()), asTown('qingshi', { action: 'dynamodb:PutItem', leadingKeys: ['T#qingshi#AUDIT#2026-01-01'] })),
      ).toBe('allow');
    });
  });
}
