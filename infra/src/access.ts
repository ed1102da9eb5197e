import { TABLE } from '@gridline/data/table';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Who may touch which items, written as IAM. The data package already confines every request to its
 * tenant's key prefix in code; these policies are the second, independent line: even a bug that builds
 * a key for another town is refused by DynamoDB itself.
 *
 * The tool is `dynamodb:LeadingKeys`, the partition-key values a request touches (table or index).
 * Every allow pairs `ForAllValues:StringLike` on it with a `Null` guard, because `ForAllValues` is
 * vacuously true for a request that carries no keys at all (a Scan, say): the guard makes such a
 * request fall outside the allow.
 */

/** Item-level reads: single items, batches of them, and key-condition queries. Never Scan. */
export const ITEM_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];

/**
 * Item-level writes. There is no IAM action for TransactWriteItems: DynamoDB authorises each item of a
 * transaction as the PutItem/UpdateItem/DeleteItem/ConditionCheckItem it contains. DeleteItem is left
 * out: nothing in Gridline deletes items today.
 */
export const ITEM_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];

/** Whole-table and statement-language reads that would bypass key scoping; denied everywhere. */
export const UNSCOPED_ACTIONS = [
  'dynamodb:Scan',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/** Partition keys of audit entries: `T#<town>#AUDIT#<day>` and `P#AUDIT#<day>` (packages/data/src/keys.ts). */
export const AUDIT_KEY_PATTERNS = ['T#*#AUDIT#*', 'P#AUDIT#*'];

/** Actions that change or remove an existing item, denied on audit keys for every principal. */
export const AUDIT_TAMPER_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** The session tag a request function sets when it assumes the town role. */
export const TOWN_TAG = 'town';
/** The town's prefix, resolved by IAM from the session tag of the assumed-role session. */
export const TOWN_KEY_PATTERN = `T#\${aws:PrincipalTag/${TOWN_TAG}}#*`;

export type TableRef = { tableArn: string };

/** The table and each of its indexes by name (from the one table definition), so no ARN needs a wildcard. */
export const tableResources = (t: TableRef) => [t.tableArn, ...TABLE.globalIndexes.map((g) => `${t.tableArn}/index/${g.indexName}`)];

/** The condition that confines a statement to partition keys matching `patterns`, with the Null guard. */
export function leadingKeys(patterns: string[]): Record<string, unknown> {
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
    Null: { 'dynamodb:LeadingKeys': 'false' },
  };
}

/** Allows `actions` on the table and its indexes for items whose partition keys match `patterns`. */
export function allowKeys(
  sid: string,
  table: TableRef,
  actions: string[],
  patterns: string[],
  opts: { extra?: Record<string, unknown>; indexes?: boolean } = {},
) {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.ALLOW,
    actions,
    resources: opts.indexes === false ? [table.tableArn] : tableResources(table),
    conditions: { ...leadingKeys(patterns), ...opts.extra },
  });
}

/**
 * The guard attached to every role that can reach the table (and, as a resource policy, to the table
 * itself): no Scan or PartiQL at all, and no update, delete or batch write of an audit entry.
 *
 * BatchWriteItem is in the audit deny because a batch may carry DeleteRequests; audit entries are
 * written inside transactions (a Put with `attribute_not_exists(pk)`), which this does not touch.
 * IAM cannot tell a first Put from an overwriting Put; the data package writes audit entries only
 * with that condition, and no role here holds DeleteItem.
 */
export function dataGuardStatements(table: TableRef): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DenyUnscopedReads',
      effect: iam.Effect.DENY,
      actions: UNSCOPED_ACTIONS,
      resources: tableResources(table),
    }),
    new iam.PolicyStatement({
      sid: 'DenyAuditTampering',
      effect: iam.Effect.DENY,
      actions: AUDIT_TAMPER_ACTIONS,
      resources: [table.tableArn],
      conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': AUDIT_KEY_PATTERNS } },
    }),
  ];
}

/** The same audit deny as a resource policy on the table, so that it binds every principal of the account. */
export function auditResourcePolicy(tableArn: string): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'DenyAuditTampering',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: AUDIT_TAMPER_ACTIONS,
        // The ARN is spelled out from the fixed table name: the table's own GetAtt would be a cycle.
        resources: [tableArn],
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': AUDIT_KEY_PATTERNS } },
      }),
    ],
  });
}

/**
 * Use of the customer-managed data key, only through the named services (the key encrypts the table
 * and the buckets). `kms:ViaService` names the service endpoint, `<service>.<region>.<url suffix>`,
 * so the same statement works in the aws and aws-cn partitions.
 */
export function dataKeyUse(keyArn: string, services: Array<'dynamodb' | 's3'>, actions: string[]) {
  return new iam.PolicyStatement({
    sid: `UseDataKeyVia${services.map((s) => s.replace(/^./, (c) => c.toUpperCase())).join('')}`,
    effect: iam.Effect.ALLOW,
    actions,
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': services.map((s) => `${s}.${Aws.REGION}.${Aws.URL_SUFFIX}`) } },
  });
}

export const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
export const KEY_READ_WRITE = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The town data role's name, fixed so that the personal-data key's policy (in the data stack, deployed
 * before the role exists) can name it without a reference between stacks. Role names are global to the
 * account, hence the region. At most 9 + 18 + 11 + 14 = 52 of IAM's 64 characters.
 */
export function townDataRoleName(county: string, region: string): string {
  return `gridline-${county}-town-data-${region}`;
}

/** The encryption-context key that binds a wrapped town data key to its town (packages/data/src/vault.ts). */
export const TOWN_CONTEXT_KEY = `kms:EncryptionContext:${TOWN_TAG}`;

/** What the vault does with the personal-data key: wrap a new town key, unwrap a stored one. */
export const PERSONAL_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Every operation that would produce or reveal key material with the personal-data key. The key policy
 * refuses them to every principal but the town data role; administrative actions (describe, rotate,
 * change the policy) stay with the account, so the key cannot be locked out.
 */
export const PERSONAL_KEY_CRYPTO_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:CreateGrant'];

/**
 * The town data role's use of the personal-data key: a session may wrap or unwrap a data key only with
 * the encryption context `town=<its own session tag>`. KMS binds the context to the ciphertext, so a
 * wrapped key of another town can only be opened by naming that town, which this condition refuses; a
 * request without the context has no value to compare and is refused too.
 */
export function townPersonalKeyUse(keyArn: string) {
  return new iam.PolicyStatement({
    sid: 'OwnTownPersonalDataKey',
    effect: iam.Effect.ALLOW,
    actions: PERSONAL_KEY_ACTIONS,
    resources: [keyArn],
    conditions: { StringEquals: { [TOWN_CONTEXT_KEY]: `\${aws:PrincipalTag/${TOWN_TAG}}` } },
  });
}

/** The personal-data key's own policy: no principal other than the town data role may use the key. */
export function personalKeyOnlyForTownRole(townRoleArn: string) {
  return new iam.PolicyStatement({
    sid: 'OnlyTheTownDataRole',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: PERSONAL_KEY_CRYPTO_ACTIONS,
    resources: ['*'],
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': townRoleArn } },
  });
}

/** What a town-scoped session may do: its own town's items, and its own town's folder of uploads. */
export function townStatements(table: TableRef, uploadsBucketArn: string): iam.PolicyStatement[] {
  return [
    allowKeys('TownItemsOnly', table, [...ITEM_READS, ...ITEM_WRITES], [TOWN_KEY_PATTERN]),
    new iam.PolicyStatement({
      sid: 'TownUploadsOnly',
      effect: iam.Effect.ALLOW,
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${uploadsBucketArn}/towns/\${aws:PrincipalTag/${TOWN_TAG}}/*`],
    }),
    // A browser's POST through a form this role signed tags the original as unchecked (it expires);
    // only posted originals, under incoming/, may be tagged.
    new iam.PolicyStatement({
      sid: 'TownIncomingTags',
      effect: iam.Effect.ALLOW,
      actions: ['s3:PutObjectTagging'],
      resources: [`${uploadsBucketArn}/towns/\${aws:PrincipalTag/${TOWN_TAG}}/incoming/*`],
    }),
  ];
}

/**
 * The county function: the platform items (`P#…`: registry, county audit, counters, reports), plus what
 * provisioning and suspension need inside a town, and nothing that reads a town's data:
 *   - create and update town items (a new town's seed items, its counters, its META status), with
 *     `dynamodb:ReturnValues` held to NONE so that a write cannot hand back an old item;
 *   - read a town's META item (status and version, for suspend/resume), and no other town item.
 */
export function countyStatements(table: TableRef): iam.PolicyStatement[] {
  return [
    allowKeys('PlatformItems', table, [...ITEM_READS, ...ITEM_WRITES], ['P#*']),
    allowKeys('ProvisionTownItems', table, ['dynamodb:PutItem', 'dynamodb:UpdateItem'], ['T#*'], {
      extra: { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
      indexes: false,
    }),
    allowKeys('ReadTownMeta', table, ['dynamodb:GetItem'], ['T#*#META'], { indexes: false }),
  ];
}

/** The partition key the readiness check reads (packages/data/src/health.ts); it never holds data. */
export const READINESS_KEY = 'P#HEALTH#READY';

/** The public function: one GetItem of the readiness key, to prove the table answers; nothing else. */
export function publicStatements(table: TableRef): iam.PolicyStatement[] {
  return [allowKeys('ReadinessProbe', table, ['dynamodb:GetItem'], [READINESS_KEY], { indexes: false })];
}

/** What one job (scheduled or on demand) may touch with its own role, by partition-key pattern. */
export type JobAccess = {
  /** Partition-key patterns the job reads (GetItem, BatchGetItem, Query on the table and indexes). */
  reads: string[];
  /** Partition-key patterns the job writes (PutItem, UpdateItem, BatchWriteItem). */
  writes: string[];
  /** Whether the job writes report files to the reports bucket, under `reports/<job>/` unless `reportPrefix` says where. */
  reportFiles: boolean;
  /** The reports-bucket folder the job writes its files to (default `reports/<job>`). */
  reportPrefix?: string;
  /** Why, in one line, for the reader of the policy. */
  why: string;
};

/**
 * Each job's access with its own credentials. A job of the job table (scheduled or on demand) without
 * an entry here stops synthesis: whoever adds a job decides, in the same change, which keys it may touch.
 *
 * No entry may name a town's keys (`T#…`): a job that works inside towns is listed in `townScopedJobs`
 * (functions/src/jobs/schedule.ts) and reaches each town only by assuming the town data role with that
 * town's session tag, exactly like a town request. What is listed here is what it needs outside towns.
 */
export const JOB_ACCESS: Record<string, JobAccess> = {
  'tenant-summary': {
    reads: ['P#*'],
    writes: ['P#REPORT#*'],
    reportFiles: false,
    why: 'counts towns from the registry (P#TOWN#…, GSI P#TOWNS) and writes the tenant report item P#REPORT#TENANTS',
  },
  // Town-scoped: recounts each town, writes its counters and drift report, as that town's session.
  reconcile: {
    reads: ['P#TOWNS'],
    writes: [],
    reportFiles: false,
    why: 'lists the towns (P#TOWNS); everything inside a town goes through the town data role',
  },
  // Town-scoped: reads each town's list of active runs and their records as that town's session, and
  // starts the import job again for a run whose lease expired (lambda:InvokeFunction, jobs-stack.ts).
  sweep: {
    reads: ['P#TOWNS'],
    writes: [],
    reportFiles: false,
    why: 'lists the towns (P#TOWNS); the active runs (T#<town>#RUNS) and their records through the town data role',
  },
  // Town-scoped: reads each town's running clocks and marks matters as that town's session.
  supervision: {
    reads: ['P#TOWNS'],
    writes: [],
    reportFiles: false,
    why: "lists the towns (P#TOWNS); each town's running clocks (T#<town>#MDUE), matters and notifications through the town data role",
  },
  // Town-scoped: marks overdue visit states, writes reminders and notifications, as that town's session.
  'visit-reminders': {
    reads: ['P#TOWNS'],
    writes: [],
    reportFiles: false,
    why: "lists the towns (P#TOWNS); each town's due lists (T#<town>#VDUE…), visit states, reminders and notifications through the town data role",
  },
  // Town-scoped: reads each town's agreed cases due for a follow-up, writes marks and notifications, as that town's session.
  'mediation-follow-ups': {
    reads: ['P#TOWNS'],
    writes: [],
    reportFiles: false,
    why: "lists the towns (P#TOWNS); each town's agreed cases (GSI T#<town>#MEDT), their marks and notifications through the town data role",
  },
  // Town-scoped: reads the upload and writes the town's people, all as that town's session.
  import: {
    reads: [],
    writes: [],
    reportFiles: false,
    why: 'nothing outside the one town it imports into, which it reaches through the town data role',
  },
  // Town-scoped: reads each town's counter items as that town's session; writes only county rollups.
  ...Object.fromEntries(
    ['rollup-daily', 'rollup-monthly', 'rollup-quarterly'].map((job) => [
      job,
      {
        reads: ['P#TOWNS', 'P#ROLLUP#*'],
        writes: ['P#ROLLUP#*'],
        reportFiles: true,
        reportPrefix: 'rollups',
        why: 'lists the towns (P#TOWNS), reads the previous rollup and writes this one (P#ROLLUP#<period>) and its files (rollups/…); town counters through the town data role',
      } satisfies JobAccess,
    ]),
  ),
};

/** A partition-key pattern that can match a town's items (`T#…`, or a pattern that starts with a wildcard). */
export const reachesTownKeys = (pattern: string) => pattern.startsWith('T#') || /^[*?]/.test(pattern);

/** The town data role's ARN, spelled from its fixed name (so that no stack needs a reference to the API stack for it). */
export function townDataRoleArn(county: string, region: string): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${townDataRoleName(county, region)}`;
}

/**
 * Who may start a town session: AssumeRole together with TagSession, with exactly one session tag,
 * `town`, present and non-empty. An untagged session of the town data role cannot be had.
 */
export const TOWN_SESSION_CONDITIONS = {
  StringLike: { [`aws:RequestTag/${TOWN_TAG}`]: '?*' },
  'ForAllValues:StringEquals': { 'aws:TagKeys': [TOWN_TAG] },
};

/** The permission, on a function's own role, to start town sessions of the town data role. */
export function assumeTownDataRole(roleArn: string) {
  return new iam.PolicyStatement({
    sid: 'AssumeTownDataRole',
    effect: iam.Effect.ALLOW,
    actions: ['sts:AssumeRole', 'sts:TagSession'],
    resources: [roleArn],
  });
}

export function jobStatements(job: string, access: JobAccess, table: TableRef, reportsBucketArn: string): iam.PolicyStatement[] {
  const id = job.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
  const out: iam.PolicyStatement[] = [];
  if (access.reads.length > 0)
    out.push(allowKeys(`${id}Reads`, table, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], access.reads));
  if (access.writes.length > 0)
    out.push(
      allowKeys(`${id}Writes`, table, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], access.writes, {
        indexes: false,
      }),
    );
  if (access.reportFiles)
    out.push(
      new iam.PolicyStatement({
        sid: `${id}ReportFiles`,
        effect: iam.Effect.ALLOW,
        actions: ['s3:PutObject'],
        resources: [`${reportsBucketArn}/${access.reportPrefix ?? `reports/${job}`}/*`],
      }),
    );
  return out;
}
