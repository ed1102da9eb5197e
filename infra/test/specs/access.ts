import { beforeAll, describe, expect, it } from 'vitest';
import { townScopedJobs } from '@gridline/functions/manifest';
import { AUDIT_KEY_PATTERNS, JOB_ACCESS, reachesTownKeys, TOWN_KEY_PATTERN, UNSCOPED_ACTIONS } from '../../src/access';
import { decide, type SimRequest, type Statement } from '../policy-sim';
import {
  actionsOf,
  allStatements,
  iamStatements,
  type Json,
  logicalIdOf,
  PSEUDO,
  resolveValue,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
} from '../support';

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
  /** A statement with its resources resolved to ARNs, for the evaluator's resource matching. */
  const resolved = (st: Record<string, unknown>): Statement =>
    ({ ...st, Resource: [st.Resource].flat().map(resolveValue) }) as unknown as Statement;
  const townFnEnv = () =>
    resourcesOf(s.t.api, 'AWS::Lambda::Function')[logicalIdOf(s.stacks.api.functions.town?.fn as never, s.stacks.api)]?.Properties
      ?.Environment.Variables as Json;
  /** The statements of the town data role's trust policy. */
  const townTrust = (): Json[] =>
    resourcesOf(s.t.api, 'AWS::IAM::Role')[logicalIdOf(s.stacks.api.townDataRole, s.stacks.api)]?.Properties?.AssumeRolePolicyDocument
      .Statement ?? [];
  const jobEnv = (job: string) =>
    resourcesOf(s.t.jobs, 'AWS::Lambda::Function')[logicalIdOf(s.stacks.jobs.functions[job]?.fn as never, s.stacks.jobs)]?.Properties
      ?.Environment.Variables as Json;
  /** The town data role's ARN, from its name in the API template. */
  const townRoleArn = () =>
    roleArn(
      resolveValue(resourcesOf(s.t.api, 'AWS::IAM::Role')[logicalIdOf(s.stacks.api.townDataRole, s.stacks.api)]?.Properties?.RoleName),
    );
  const personalKeyId = () => logicalIdOf(s.stacks.data.personalKey, s.stacks.data);
  /** The personal-data key's ARN as it appears in the API template (an import from the data stack). */
  const personalKeyArn = () => `arn:aws:kms:ap-southeast-1:111122223333:key/personal-data-key`;
  const mentionsPersonalKey = (x: unknown) => JSON.stringify(x).includes(`FnGetAtt${personalKeyId()}Arn`);
  /** KMS statements that name the personal-data key, with that key's ARN in place of the import. */
  const personalKeyStatements = (sts: Array<Record<string, unknown>>): Statement[] =>
    sts
      .filter((st) => actionsOf(st).some((a) => a.startsWith('kms:')) && mentionsPersonalKey(st.Resource))
      .map((st) => ({ ...st, Resource: personalKeyArn() }) as unknown as Statement);
  const roleArn = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

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

    it('can be assumed only by the town function and the town-scoped jobs, only with exactly one non-empty `town` session tag', () => {
      const trust = townTrust();
      expect(trust.length).toBeGreaterThan(0);
      // Each trusted principal, by name: the town function's role (same stack) or a job role (imported).
      const townFnRole = logicalIdOf(s.stacks.api.functions.town?.role as never, s.stacks.api);
      const jobRoleIds = Object.entries(s.stacks.jobs.functions).map(([job, f]) => [job, logicalIdOf(f.role, s.stacks.jobs)] as const);
      const nameOf = (p: Json): string => {
        if (JSON.stringify(p) === JSON.stringify({ 'Fn::GetAtt': [townFnRole, 'Arn'] })) return 'town function';
        const imported = typeof p?.['Fn::ImportValue'] === 'string' ? (p['Fn::ImportValue'] as string) : '';
        const job = jobRoleIds.find(([, id]) => imported.startsWith('Gridline-demo-Jobs:') && imported.includes(`FnGetAtt${id}Arn`));
        return job ? `job ${job[0]}` : `unexpected ${JSON.stringify(p)}`;
      };
      const admitted: string[] = [];
      for (const st of trust) {
        expect(st.Effect).toBe('Allow');
        expect(st.NotPrincipal).toBeUndefined();
        expect(Object.keys(st.Principal)).toEqual(['AWS']);
        expect([st.Action].flat().sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
        expect(st.Condition).toEqual({
          StringLike: { 'aws:RequestTag/town': '?*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['town'] },
        });
        admitted.push(...[st.Principal.AWS].flat().map(nameOf));
      }
      expect(townScopedJobs.length).toBeGreaterThan(0);
      expect(admitted.sort()).toEqual(['town function', ...townScopedJobs.map((j) => `job ${j}`)].sort());
    });

    it('town sessions: a tagged AssumeRole by a trusted principal is admitted; an untagged or doubly tagged one is not (evaluated)', () => {
      // Principals are left out: the evaluator matches conditions, the test above the principals.
      const trust = townTrust().map((st) => ({ Effect: st.Effect, Action: st.Action, Condition: st.Condition }) as Statement);
      const start = (tags: Record<string, string>, action = 'sts:AssumeRole') =>
        decide(trust, {
          action,
          context: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
          ...(Object.keys(tags).length ? { multiValued: { 'aws:TagKeys': Object.keys(tags) } } : {}),
        });
      expect(start({ town: 'qingshi' })).toBe('allow');
      expect(start({ town: 'qingshi' }, 'sts:TagSession')).toBe('allow');
      expect(start({})).toBe('deny');
      expect(start({ town: '' })).toBe('deny');
      expect(start({ town: 'qingshi', role: 'admin' })).toBe('deny');
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

    it('the public function may read the readiness key and nothing else', () => {
      const sts = dynamo(fnRole('public'));
      for (const st of sts.filter((x) => x.Effect === 'Allow')) expect(st.Condition?.Null?.['dynamodb:LeadingKeys']).toBe('false');
      const pub = (r: SimRequest) => decide(sts, r);
      expect(pub({ action: 'dynamodb:GetItem', leadingKeys: ['P#HEALTH#READY'] })).toBe('allow');
      expect(pub({ action: 'dynamodb:GetItem', leadingKeys: ['P#TOWNS'] })).not.toBe('allow');
      expect(pub({ action: 'dynamodb:GetItem', leadingKeys: ['T#qingshi#META'] })).not.toBe('allow');
      expect(pub({ action: 'dynamodb:PutItem', leadingKeys: ['P#HEALTH#READY'] })).not.toBe('allow');
      expect(pub({ action: 'dynamodb:Query', leadingKeys: ['P#HEALTH#READY'] })).not.toBe('allow');
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

  describe('the personal-data key (wraps each town’s data key)', () => {
    it('the town data role may generate and decrypt data keys with it, only for the encryption context of its own town', () => {
      const sts = townRole().filter((st) => mentionsPersonalKey(st.Resource));
      expect(sts).toHaveLength(1);
      const st = sts[0] as Json;
      expect(st.Effect).toBe('Allow');
      expect(actionsOf(st).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(st.Resource).toEqual({ 'Fn::ImportValue': expect.stringContaining(`FnGetAtt${personalKeyId()}Arn`) });
      expect(st.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:town': `\${aws:PrincipalTag/town}` } });
    });

    it('admits its own town’s context and refuses another town’s, a missing context, an untagged session and other operations (evaluated)', () => {
      const sts = personalKeyStatements(townRole());
      const kms = (town: string | undefined, action: string, context?: string) =>
        decide(sts, {
          action,
          resource: personalKeyArn(),
          ...(town ? { principalTags: { town } } : {}),
          ...(context === undefined ? {} : { context: { 'kms:EncryptionContext:town': context } }),
        });
      expect(kms('qingshi', 'kms:GenerateDataKey', 'qingshi')).toBe('allow');
      expect(kms('qingshi', 'kms:Decrypt', 'qingshi')).toBe('allow');
      // Another town's wrapped key: KMS needs that town as context to open it, which the role refuses.
      expect(kms('qingshi', 'kms:Decrypt', 'baisha')).toBe('deny');
      expect(kms('qingshi', 'kms:GenerateDataKey', 'baisha')).toBe('deny');
      expect(kms('qing', 'kms:Decrypt', 'qingshi')).toBe('deny');
      expect(kms('qingshi', 'kms:Decrypt', '')).toBe('deny');
      expect(kms('qingshi', 'kms:Decrypt')).toBe('deny');
      expect(kms('qingshi', 'kms:GenerateDataKey')).toBe('deny');
      expect(kms(undefined, 'kms:Decrypt', 'qingshi')).toBe('deny');
      for (const action of ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext'])
        expect(`${action} ${kms('qingshi', action, 'qingshi')}`).toBe(`${action} deny`);
    });

    it('is usable by no other role of the app: not the town function, the county or public function, the jobs, or CDK’s helpers', () => {
      const holders = Object.entries(s.t).flatMap(([stack, t]) =>
        iamStatements(t)
          .filter(({ st }) => mentionsPersonalKey(st))
          .map(({ holder }) => `${stack}/${holder}`),
      );
      const townPolicy = Object.entries(resourcesOf(s.t.api, 'AWS::IAM::Policy')).find(([, p]) =>
        ((p.Properties?.Roles as Json[]) ?? []).some((r) => r.Ref === logicalIdOf(s.stacks.api.townDataRole, s.stacks.api)),
      )?.[0];
      expect(holders).toEqual([`api/${townPolicy}`]);
      for (const role of [fnRole('town'), fnRole('county'), fnRole('public'), ...Object.keys(JOB_ACCESS).map(jobRole)])
        expect(personalKeyStatements(role)).toEqual([]);
      // Nor through a wildcard: no KMS permission anywhere has `*` as its resource.
      const wildcards = Object.values(s.t)
        .flatMap((t) => iamStatements(t))
        .filter(({ st }) => st.Effect === 'Allow' && actionsOf(st).some((a) => a.startsWith('kms:') || a === '*'))
        .filter(({ st }) => [st.Resource].flat().includes('*'))
        .map(({ holder }) => holder);
      expect(wildcards).toEqual([]);
    });

    it('refuses, by its key policy, every principal but the town data role, whatever IAM would allow (evaluated)', () => {
      const key = resourcesOf(s.t.data, 'AWS::KMS::Key')[personalKeyId()]?.Properties as Json;
      const keyPolicy = (key.KeyPolicy.Statement as Json[]).map((st) => ({
        ...st,
        Condition: st.Condition && {
          ArnNotEquals: { 'aws:PrincipalArn': resolveValue(st.Condition.ArnNotEquals['aws:PrincipalArn']) },
        },
      }));
      const deny = keyPolicy.find((st) => st.Effect === 'Deny');
      expect(deny.Principal).toEqual({ AWS: '*' });
      expect([deny.Action].flat()).toEqual(
        expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Encrypt', 'kms:ReEncrypt*']),
      );
      // The role named in the key policy is the town data role of the API stack.
      const role = resourcesOf(s.t.api, 'AWS::IAM::Role')[logicalIdOf(s.stacks.api.townDataRole, s.stacks.api)]?.Properties as Json;
      expect(deny.Condition.ArnNotEquals['aws:PrincipalArn']).toBe(roleArn(resolveValue(role.RoleName)));

      // The key policy's deny, with an over-broad IAM allow that some other role might one day hold.
      const denyOnly = keyPolicy.filter((st) => st.Effect === 'Deny') as Statement[];
      const broad: Statement = { Effect: 'Allow', Action: 'kms:*' };
      const as = (principal: string, action: string, town?: string) =>
        decide([...denyOnly, broad], {
          action,
          context: { 'aws:PrincipalArn': principal, 'kms:EncryptionContext:town': 'qingshi' },
          ...(town ? { principalTags: { town } } : {}),
        });
      const other = roleArn('Gridline-demo-Api-AreacountyRole');
      expect(as(other, 'kms:Decrypt')).toBe('deny');
      expect(as(other, 'kms:GenerateDataKey')).toBe('deny');
      expect(as(other, 'kms:CreateGrant')).toBe('deny');
      expect(as(`arn:aws:iam::${PSEUDO['AWS::AccountId']}:root`, 'kms:Decrypt')).toBe('deny');
      expect(as(roleArn(resolveValue(role.RoleName)), 'kms:Decrypt', 'qingshi')).toBe('allow');
      // Key administration stays with the account (no lock-out): describing or rotating is not denied.
      expect(as(other, 'kms:DescribeKey')).toBe('allow');
      expect(as(other, 'kms:EnableKeyRotation')).toBe('allow');
    });

    it('is named to the town function and the import job (which use it as the town session), and to no other function', () => {
      expect(townFnEnv().GRIDLINE_KMS_KEY_ID).toEqual({ 'Fn::ImportValue': expect.stringContaining(`FnGetAtt${personalKeyId()}Arn`) });
      expect(jobEnv('import').GRIDLINE_KMS_KEY_ID).toEqual({
        'Fn::ImportValue': expect.stringContaining(`FnGetAtt${personalKeyId()}Arn`),
      });
      for (const area of ['county', 'public']) {
        const fnId = logicalIdOf(s.stacks.api.functions[area]?.fn as never, s.stacks.api);
        const env = resourcesOf(s.t.api, 'AWS::Lambda::Function')[fnId]?.Properties?.Environment.Variables as Json;
        expect(`${area} ${env.GRIDLINE_KMS_KEY_ID}`).toBe(`${area} undefined`);
      }
      for (const job of ['tenant-summary', 'reconcile']) expect(`${job} ${jobEnv(job).GRIDLINE_KMS_KEY_ID}`).toBe(`${job} undefined`);
    });
  });

  describe('the uploads bucket', () => {
    const uploadsName = () =>
      resolveValue(resourcesOf(s.t.data, 'AWS::S3::Bucket')[logicalIdOf(s.stacks.data.uploads, s.stacks.data)]?.Properties?.BucketName);
    const object = (key: string) => `arn:aws:s3:::${uploadsName()}/${key}`;

    it('the town function is told the bucket’s name', () => {
      expect(uploadsName()).toBe('gridline-demo-uploads-111122223333-ap-southeast-1');
      expect(resolveValue(townFnEnv().GRIDLINE_UPLOADS_BUCKET)).toBe(uploadsName());
    });

    it('the town data role reads and writes only objects under towns/<its own town>/ (evaluated)', () => {
      const sts = townRole()
        .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))
        .map(resolved);
      expect(sts.flatMap((st) => [st.Resource].flat())).toEqual([
        object(`towns/\${aws:PrincipalTag/town}/*`),
        object(`towns/\${aws:PrincipalTag/town}/incoming/*`),
      ]);
      const s3 = (town: string | undefined, action: string, resource: string) =>
        decide(sts, { action, resource, ...(town ? { principalTags: { town } } : {}) });
      expect(s3('qingshi', 's3:PutObject', object('towns/qingshi/imports/book.xlsx'))).toBe('allow');
      expect(s3('qingshi', 's3:GetObject', object('towns/qingshi/imports/book.xlsx'))).toBe('allow');
      expect(s3('qingshi', 's3:GetObject', object('towns/baisha/imports/book.xlsx'))).toBe('deny');
      expect(s3('qing', 's3:GetObject', object('towns/qingshi/imports/book.xlsx'))).toBe('deny');
      expect(s3('qingshi', 's3:GetObject', object('reports/tenants.csv'))).toBe('deny');
      expect(s3('qingshi', 's3:GetObject', object('towns/qingshi'))).toBe('deny');
      expect(s3('qingshi', 's3:DeleteObject', object('towns/qingshi/imports/book.xlsx'))).toBe('deny');
      // Tagging: posted originals only (the tag makes them expire), never a checked file.
      expect(s3('qingshi', 's3:PutObjectTagging', object('towns/qingshi/incoming/u-1'))).toBe('allow');
      expect(s3('qingshi', 's3:PutObjectTagging', object('towns/qingshi/files/u-1'))).toBe('deny');
      expect(s3('qingshi', 's3:PutObjectTagging', object('towns/baisha/incoming/u-1'))).toBe('deny');
      expect(s3('qingshi', 's3:ListBucket', `arn:aws:s3:::${uploadsName()}`)).toBe('deny');
      expect(s3(undefined, 's3:GetObject', object('towns/qingshi/imports/book.xlsx'))).toBe('deny');
    });

    it('no other role of the app reaches the bucket, and no S3 permission has `*` as its resource', () => {
      const townPolicyHolders = new Set(
        Object.entries(resourcesOf(s.t.api, 'AWS::IAM::Policy'))
          .filter(([, p]) =>
            ((p.Properties?.Roles as Json[]) ?? []).some((r) => r.Ref === logicalIdOf(s.stacks.api.townDataRole, s.stacks.api)),
          )
          .map(([id]) => id),
      );
      const reaching = Object.values(s.t)
        .flatMap((t) => iamStatements(t))
        .filter(({ st }) => st.Effect === 'Allow' && actionsOf(st).some((a) => a.startsWith('s3:') || a === '*'))
        .filter(({ st }) => [st.Resource].flat().some((r) => r === '*' || resolveValue(r).includes(uploadsName())))
        .map(({ holder, st }) => `${holder} ${String(st.Sid)}`);
      expect(reaching).toEqual([...townPolicyHolders].flatMap((h) => [`${h} TownUploadsOnly`, `${h} TownIncomingTags`]));
    });
  });

  describe('the county function’s accounts', () => {
    it('may look up, create and group users in the user pool, and nothing else in Cognito', () => {
      const sts = fnRole('county').filter((st) => actionsOf(st).some((a) => a.startsWith('cognito-idp:')));
      expect(sts).toHaveLength(1);
      const st = sts[0] as Json;
      expect(actionsOf(st).sort()).toEqual(['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser']);
      expect(JSON.stringify(st.Resource)).toMatch(
        /^\{"Fn::ImportValue":"Gridline-demo-Identity:ExportsOutputFnGetAttUserPool\w+Arn\w*"\}$/,
      );
    });
  });

  describe('the town function’s accounts (decisions 24, 66)', () => {
    it('may read an account, write or delete its attributes, create, enable, disable, sign out and group an account, and nothing else in Cognito', () => {
      const sts = fnRole('town').filter((st) => actionsOf(st).some((a) => a.startsWith('cognito-idp:')));
      expect(sts).toHaveLength(1);
      const st = sts[0] as Json;
      expect(st.Effect).toBe('Allow');
      expect(actionsOf(st).sort()).toEqual([
        'cognito-idp:AdminAddUserToGroup',
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminDeleteUserAttributes',
        'cognito-idp:AdminDisableUser',
        'cognito-idp:AdminEnableUser',
        'cognito-idp:AdminGetUser',
        'cognito-idp:AdminRemoveUserFromGroup',
        'cognito-idp:AdminUpdateUserAttributes',
        'cognito-idp:AdminUserGlobalSignOut',
      ]);
      expect(JSON.stringify(st.Resource)).toMatch(
        /^\{"Fn::ImportValue":"Gridline-demo-Identity:ExportsOutputFnGetAttUserPool\w+Arn\w*"\}$/,
      );
      const pool = resolveValue(st.Resource);
      const sim = [resolved(st)];
      expect(decide(sim, { action: 'cognito-idp:AdminUpdateUserAttributes', resource: pool })).toBe('allow');
      expect(decide(sim, { action: 'cognito-idp:AdminDisableUser', resource: pool })).toBe('allow');
      for (const action of [
        'cognito-idp:AdminDeleteUser',
        'cognito-idp:AdminSetUserPassword',
        'cognito-idp:CreateGroup',
        'cognito-idp:ListUsers',
      ])
        expect(decide(sim, { action, resource: pool })).toBe('deny');
    });

    it('is told the user pool, as the county function is', () => {
      expect(townFnEnv().GRIDLINE_USER_POOL_ID).toEqual(countyFnEnv().GRIDLINE_USER_POOL_ID);
      expect(JSON.stringify(townFnEnv().GRIDLINE_USER_POOL_ID)).toContain('UserPool');
    });
  });

  describe('the jobs', () => {
    it('each job role is limited to the keys JOB_ACCESS grants it, with the Null guard; no entry names a town’s keys', () => {
      expect(Object.keys(JOB_ACCESS).sort()).toEqual(Object.keys(s.stacks.jobs.functions).sort());
      for (const [job, access] of Object.entries(JOB_ACCESS)) {
        expect(`${job} ${[...access.reads, ...access.writes].filter(reachesTownKeys)}`).toBe(`${job} `);
        const allows = dynamo(jobRole(job)).filter((st) => st.Effect === 'Allow');
        expect(`${job} ${allows.length}`).toBe(`${job} ${(access.reads.length ? 1 : 0) + (access.writes.length ? 1 : 0)}`);
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

    it('the town-scoped jobs reach no town item with their own credentials, tagged or not (evaluated)', () => {
      for (const job of townScopedJobs) {
        // Every statement of the role, not only the DynamoDB ones: a broader action would show here too.
        const sts = jobRole(job) as unknown as Statement[];
        for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
          for (const key of ['T#qingshi#PPL#g1', 'T#qingshi#COUNT', 'T#qingshi#META', 'T#qingshi#VAULT'])
            for (const tags of [undefined, { town: 'qingshi' }])
              expect(
                `${job} ${action} ${key}: ${decide(sts, { action, leadingKeys: [key], ...(tags ? { principalTags: tags } : {}) })}`,
              ).toBe(`${job} ${action} ${key}: deny`);
      }
    });

    it('the reconcile job may list the towns (Query and GetItem on P#TOWNS) and nothing else of the table', () => {
      const sts = jobRole('reconcile') as unknown as Statement[];
      const job = (action: string, key: string) => decide(sts, { action, leadingKeys: [key] });
      expect(job('dynamodb:Query', 'P#TOWNS')).toBe('allow');
      expect(job('dynamodb:GetItem', 'P#TOWNS')).toBe('allow');
      for (const pk of ['P#TOWN#qingshi', 'P#REPORT#TENANTS', 'P#AUDIT#2026-01-01'])
        expect(`${pk} ${job('dynamodb:Query', pk)}`).toBe(`${pk} deny`);
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'])
        expect(`${action} ${job(action, 'P#TOWNS')}`).toBe(`${action} deny`);
      expect(decide(sts, { action: 'dynamodb:Query' })).toBe('deny');
    });

    it('the rollup jobs list the towns, read and write only P#ROLLUP#… and put files only under rollups/ (evaluated)', () => {
      const reportsName = resolveValue(
        resourcesOf(s.t.data, 'AWS::S3::Bucket')[logicalIdOf(s.stacks.data.reports, s.stacks.data)]?.Properties?.BucketName,
      );
      const object = (key: string) => `arn:aws:s3:::${reportsName}/${key}`;
      for (const name of ['rollup-daily', 'rollup-monthly', 'rollup-quarterly']) {
        expect(townScopedJobs).toContain(name);
        const sts = jobRole(name) as unknown as Statement[];
        const job = (action: string, key: string) => `${name} ${action} ${key}: ${decide(sts, { action, leadingKeys: [key] })}`;
        expect(job('dynamodb:Query', 'P#TOWNS')).toBe(`${name} dynamodb:Query P#TOWNS: allow`);
        expect(job('dynamodb:Query', 'P#ROLLUP#2026-10')).toBe(`${name} dynamodb:Query P#ROLLUP#2026-10: allow`);
        expect(job('dynamodb:PutItem', 'P#ROLLUP#2026-11')).toBe(`${name} dynamodb:PutItem P#ROLLUP#2026-11: allow`);
        expect(job('dynamodb:BatchWriteItem', 'P#ROLLUP#2026-11')).toBe(`${name} dynamodb:BatchWriteItem P#ROLLUP#2026-11: allow`);
        for (const [action, key] of [
          ['dynamodb:PutItem', 'P#TOWNS'],
          ['dynamodb:PutItem', 'P#REPORT#TENANTS'],
          ['dynamodb:Query', 'P#AUDIT#2026-01-01'],
          ['dynamodb:GetItem', 'T#qingshi#COUNT'],
          ['dynamodb:PutItem', 'T#qingshi#COUNT'],
        ] as const)
          expect(job(action, key)).toBe(`${name} ${action} ${key}: deny`);
        const files = (jobRole(name) as Array<Record<string, unknown>>)
          .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))
          .map(resolved);
        expect(decide(files, { action: 's3:PutObject', resource: object('rollups/2026-11/county.xlsx') })).toBe('allow');
        expect(decide(files, { action: 's3:PutObject', resource: object('reports/tenants.csv') })).toBe('deny');
        expect(decide(files, { action: 's3:GetObject', resource: object('rollups/2026-11/county.xlsx') })).toBe('deny');
      }
    });

    it('the import job has no table, key or bucket permission of its own', () => {
      const sts = jobRole('import');
      const allowed = sts.filter((st) => st.Effect === 'Allow').flatMap((st) => actionsOf(st));
      expect(allowed.filter((a) => /^(dynamodb|kms|s3):|^\*$/.test(a))).toEqual([]);
      expect(decide(sts as unknown as Statement[], { action: 'dynamodb:Query', leadingKeys: ['P#TOWNS'] })).toBe('deny');
    });

    it('the town-scoped jobs may start town sessions of the town data role and are told its ARN; the others are not', () => {
      const assumes = (job: string) =>
        jobRole(job)
          .filter((st) => st.Effect === 'Allow' && actionsOf(st).some((a) => a.startsWith('sts:')))
          .map((st) => ({ actions: actionsOf(st).sort(), resources: [st.Resource].flat().map(resolveValue) }));
      expect(townRoleArn()).toBe('arn:aws:iam::111122223333:role/gridline-demo-town-data-ap-southeast-1');
      for (const job of Object.keys(s.stacks.jobs.functions)) {
        const scoped = townScopedJobs.includes(job);
        expect(`${job} ${JSON.stringify(assumes(job))}`).toBe(
          `${job} ${JSON.stringify(scoped ? [{ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [townRoleArn()] }] : [])}`,
        );
        const env = jobEnv(job).GRIDLINE_TOWN_ROLE_ARN;
        expect(`${job} ${env === undefined ? 'unset' : resolveValue(env)}`).toBe(`${job} ${scoped ? townRoleArn() : 'unset'}`);
      }
    });
  });

  const importArn = () => `arn:aws:lambda:ap-southeast-1:111122223333:function:${s.stacks.jobs.functions.import?.functionName}`;
  const rollupArn = () => `arn:aws:lambda:ap-southeast-1:111122223333:function:${s.stacks.jobs.functions['rollup-daily']?.functionName}`;
  const reconcileArn = () => `arn:aws:lambda:ap-southeast-1:111122223333:function:${s.stacks.jobs.functions.reconcile?.functionName}`;
  /** Every Allow of Lambda actions (or `*`), with its resources resolved. */
  const invokes = (sts: Array<Record<string, unknown>>) =>
    sts
      .filter((st) => st.Effect === 'Allow' && actionsOf(st).some((a) => a.startsWith('lambda:') || a === '*'))
      .map((st) => ({ actions: actionsOf(st), resources: [st.Resource].flat().map(resolveValue) }));
  const fnEnv = (area: string) =>
    resourcesOf(s.t.api, 'AWS::Lambda::Function')[logicalIdOf(s.stacks.api.functions[area]?.fn as never, s.stacks.api)]?.Properties
      ?.Environment.Variables as Json;
  const countyFnEnv = () => fnEnv('county');

  describe('starting an import', () => {
    it('the town function is told the import function’s name', () => {
      const fnId = logicalIdOf(s.stacks.jobs.functions.import?.fn as never, s.stacks.jobs);
      const name = resourcesOf(s.t.jobs, 'AWS::Lambda::Function')[fnId]?.Properties?.FunctionName;
      expect(name).toBe('gridline-demo-job-import');
      expect(townFnEnv().GRIDLINE_JOBS_FUNCTION).toBe(name);
    });

    it('the town function may invoke the import function and no other; the county function only the rollup and reconcile functions; the public function none', () => {
      expect(invokes(fnRole('town'))).toEqual([{ actions: ['lambda:InvokeFunction'], resources: [importArn()] }]);
      const sts = fnRole('town').map(resolved);
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: importArn() })).toBe('allow');
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: importArn().replace(/import$/, 'reconcile') })).toBe('deny');
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: rollupArn() })).toBe('deny');
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: `${importArn()}:1` })).toBe('deny');
      expect(invokes(fnRole('county'))).toEqual([
        { actions: ['lambda:InvokeFunction'], resources: [rollupArn()] },
        { actions: ['lambda:InvokeFunction'], resources: [reconcileArn()] },
      ]);
      expect(invokes(fnRole('public'))).toEqual([]);
      expect(invokes(townRole())).toEqual([]);
    });
  });

  describe('running a rollup now', () => {
    it("the county function is told the rollup job’s function, the one the code invokes with `{ job: 'rollup-daily' }`", () => {
      const fnId = logicalIdOf(s.stacks.jobs.functions['rollup-daily']?.fn as never, s.stacks.jobs);
      const name = resourcesOf(s.t.jobs, 'AWS::Lambda::Function')[fnId]?.Properties?.FunctionName;
      expect(name).toBe('gridline-demo-job-rollup-daily');
      expect(countyFnEnv().GRIDLINE_ROLLUP_FUNCTION).toBe(name);
      for (const area of ['town', 'public']) expect(`${area} ${fnEnv(area).GRIDLINE_ROLLUP_FUNCTION}`).toBe(`${area} undefined`);
    });

    it('the county function may invoke the rollup and reconcile functions and nothing else: not another job, a version or the import (evaluated)', () => {
      const sts = fnRole('county').map(resolved);
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: rollupArn() })).toBe('allow');
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: reconcileArn() })).toBe('allow');
      expect(decide(sts, { action: 'lambda:InvokeFunction', resource: `${reconcileArn()}:1` })).toBe('deny');
      expect(countyFnEnv().GRIDLINE_RECONCILE_FUNCTION).toBe(s.stacks.jobs.functions.reconcile?.functionName);
      for (const other of [
        importArn(),
        rollupArn().replace(/daily$/, 'monthly'),
        rollupArn().replace(/rollup-daily$/, 'tenant-summary'),
        `${rollupArn()}:1`,
      ])
        expect(`${other} ${decide(sts, { action: 'lambda:InvokeFunction', resource: other })}`).toBe(`${other} deny`);
      expect(decide(sts, { action: 'lambda:InvokeAsync', resource: rollupArn() })).toBe('deny');
      expect(decide(sts, { action: 'lambda:UpdateFunctionCode', resource: rollupArn() })).toBe('deny');
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
