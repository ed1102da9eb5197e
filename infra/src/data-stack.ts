import { TABLE } from '@gridline/data/table';
import { INCOMING_UPLOAD_DAYS, INCOMING_UPLOAD_TAG } from '@gridline/domain';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { auditResourcePolicy, personalKeyOnlyForTownRole, townDataRoleArn } from './access';
import type { GridlineConfig } from './config';

export type DataStackProps = StackProps & { config: GridlineConfig };

/** A named bucket of the county (`gridline-<county>-<kind>-<account>-<region>`), spelled from pseudo parameters. */
export const countyBucketName = (county: string, kind: string) => `gridline-${county}-${kind}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/** The uploads bucket's HTTPS origin, which the browser posts files to (the web app's CSP admits it). */
export const uploadsBucketOrigin = (county: string) => `https://${countyBucketName(county, 'uploads')}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;

/**
 * Where the browser may post from: the web app's own domain when configured, else the CloudFront domains
 * (a form still needs the policy the API signed for one key; this only narrows who may try).
 */
export const uploadCorsOrigins = (webDomain: string | undefined) =>
  webDomain ? [`https://${webDomain}`] : ['https://*.cloudfront.net', 'https://*.cloudfront.cn'];

/**
 * Everything that holds data and outlives a deployment: the one table, the report and upload buckets,
 * the key that encrypts them, the key that wraps each town's personal-data key, and the secret that
 * signs pagination cursors. All of it but the secret is retained when the stack is deleted.
 */
export class DataStack extends Stack {
  readonly key: kms.Key;
  /** Wraps the per-town keys of personal data (ID numbers, phones); usable by the town data role only. */
  readonly personalKey: kms.Key;
  readonly table: dynamodb.Table;
  /** The table's fixed name, as a literal. */
  readonly tableName: string;
  readonly reports: s3.Bucket;
  readonly uploads: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  /** ARNs of the named buckets, spelled from pseudo parameters (no cross-stack import needed). */
  readonly reportsArn: string;
  readonly uploadsArn: string;
  /** The uploads bucket's name, spelled like its ARN. */
  readonly uploadsBucketName: string;
  readonly cursorSecret: secrets.Secret;
  /** The cursor secret as a CloudFormation dynamic reference (`{{resolve:secretsmanager:…}}`), for function environments. */
  readonly cursorSecretRef: string;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { county } = props.config;

    this.key = new kms.Key(this, 'DataKey', {
      description: `Gridline ${county}: encrypts the table, the report and upload buckets`,
      alias: `alias/gridline/${county}/data`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Personal data is encrypted field by field with a data key per town (packages/data/src/vault.ts);
    // this key wraps those town keys, with the town as encryption context. It is kept apart from the
    // table key: the services and roles that read the table never get to unwrap a town's key.
    const townRoleArn = townDataRoleArn(county, props.config.region);
    this.personalKey = new kms.Key(this, 'PersonalDataKey', {
      description: `Gridline ${county}: wraps each town's key for personal data (encryption context: town)`,
      alias: `alias/gridline/${county}/personal-data`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.personalKey.addToResourcePolicy(personalKeyOnlyForTownRole(townRoleArn));

    // The name is fixed so that no update can silently replace the table, and so that the table's own
    // resource policy can name it without a reference cycle.
    const tableName = `gridline-${county}`;
    this.tableName = tableName;
    const tableArn = `arn:${Aws.PARTITION}:dynamodb:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${tableName}`;
    const str = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      tableName,
      partitionKey: str(TABLE.partitionKey),
      sortKey: str(TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      resourcePolicy: auditResourcePolicy(tableArn),
    });
    for (const g of TABLE.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: g.indexName,
        partitionKey: str(g.partitionKey),
        sortKey: str(g.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        { id: 'expire-logs', expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Named per county, account and region: stable names for operators and for IAM policies elsewhere.
    const bucketName = (kind: string) => countyBucketName(county, kind);
    const privateBucket = (id: string, lifecycleRules: s3.LifecycleRule[], cors?: s3.CorsRule[]) =>
      new s3.Bucket(this, id, {
        bucketName: bucketName(id.toLowerCase()),
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: true,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${id.toLowerCase()}/`,
        lifecycleRules,
        ...(cors ? { cors } : {}),
        removalPolicy: RemovalPolicy.RETAIN,
      });

    // Reports (CSV/XLSX/JSON from the rollups) are kept; older ones move to cheaper storage.
    this.reports = privateBucket('Reports', [
      {
        id: 'infrequent-after-90-days',
        transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
      },
      { id: 'old-versions', noncurrentVersionExpiration: Duration.days(90) },
      { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ]);
    // Uploads are attachments of town records; replaced versions are kept 30 days for recovery. Browsers
    // post files straight here through a signed form (decision 98), so POST is allowed cross-origin;
    // downloads are plain navigations to presigned links and need no CORS.
    this.uploads = privateBucket(
      'Uploads',
      [
        { id: 'old-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Posted originals (tagged by the signed form) go once checked copies exist: their metadata
        // (a photo's location) must not outlive the check (decision 101).
        {
          id: 'unchecked-originals',
          tagFilters: { [INCOMING_UPLOAD_TAG.key]: INCOMING_UPLOAD_TAG.value },
          expiration: Duration.days(INCOMING_UPLOAD_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: uploadCorsOrigins(props.config.webDomain),
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
    );

    this.reportsArn = `arn:${Aws.PARTITION}:s3:::${bucketName('reports')}`;
    this.uploadsBucketName = bucketName('uploads');
    this.uploadsArn = `arn:${Aws.PARTITION}:s3:::${this.uploadsBucketName}`;

    // HMAC key of the pagination cursors (GRIDLINE_CURSOR_SECRET). Functions receive it as a
    // CloudFormation dynamic reference, resolved at deploy time: the value is never in a template.
    // Not retained: cursors live for minutes, and a retained, named secret would block a redeploy.
    this.cursorSecret = new secrets.Secret(this, 'CursorSecret', {
      description: `Gridline ${county}: HMAC key of pagination cursors`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.cursorSecretRef = this.cursorSecret.secretValue.unsafeUnwrap();

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ReportsBucket', { value: this.reports.bucketName });
    new CfnOutput(this, 'UploadsBucket', { value: this.uploads.bucketName });
    new CfnOutput(this, 'PersonalDataKeyArn', { value: this.personalKey.keyArn });
  }
}
