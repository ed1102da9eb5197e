import { areas, type RouteSpec, routeTable } from '@gridline/functions/manifest';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  assumeTownDataRole,
  countyStatements,
  dataGuardStatements,
  dataKeyUse,
  KEY_READ,
  KEY_READ_WRITE,
  publicStatements,
  TOWN_SESSION_CONDITIONS,
  townDataRoleName,
  townPersonalKeyUse,
  townStatements,
} from './access';
import type { GridlineConfig } from './config';
import { GridlineFunction, LOG_RETENTION } from './lambda';

export type ApiStackProps = StackProps & {
  config: GridlineConfig;
  bundleDir: string;
  httpApi: apigwv2.IHttpApi;
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  /** ARN and name of the uploads bucket. */
  uploadsArn: string;
  uploadsBucketName: string;
  /** The key that wraps each town's personal-data key (packages/data/src/vault.ts). */
  personalKey: kms.IKey;
  cursorSecretRef: string;
  userPoolArn: string;
  userPoolId: string;
  issuerUrl: string;
  /** App clients whose ID tokens the API accepts (the web app's, the CLI's). */
  clientIds: string[];
  /**
   * Roles of the jobs that work inside towns (jobs stack): the town data role's trust policy admits
   * them with the same conditions as the town function.
   */
  townScopedJobRoles: iam.IRole[];
  /** Name of the import job's function, which the town function invokes asynchronously. */
  importFunctionName: string;
  /**
   * Name of the rollup job's function, which the county function invokes synchronously for "run a
   * rollup now" (functions/src/jobs/rollup.ts).
   */
  rollupFunctionName: string;
  /**
   * Name of the reconcile job's function, which the county function invokes synchronously for
   * "reconcile a town now" (functions/src/jobs/reconcile.ts, reconcileNow).
   */
  reconcileFunctionName: string;
};

/** Lambda's own limit on an API function: under API Gateway's 30-second integration timeout. */
export const API_TIMEOUT = Duration.seconds(10);
/**
 * The county function waits for a synchronous rollup ("run now"): as long as API Gateway lets a request
 * run (30 s), less a second so that the function, not the gateway, gives up first.
 */
export const COUNTY_TIMEOUT = Duration.seconds(29);

/** HTTP method of the route table → API Gateway's. */
const METHODS: Record<RouteSpec['method'], apigwv2.HttpMethod> = {
  GET: apigwv2.HttpMethod.GET,
  PUT: apigwv2.HttpMethod.PUT,
  POST: apigwv2.HttpMethod.POST,
  PATCH: apigwv2.HttpMethod.PATCH,
  DELETE: apigwv2.HttpMethod.DELETE,
};

/**
 * The HTTP API behind `/api/*`: one Lambda function per area of the route table, one API route per
 * route, a JWT authorizer (Cognito ID tokens of the web or CLI client) on every route whose audience is not
 * public, a throttled `$default` stage with an access log.
 *
 * Data access: the town function holds no DynamoDB permission of its own. For each request it assumes
 * the town data role with the session tag `town=<the caller's town from the verified token>`; that
 * role's policy admits only partition keys under `T#<town>#`, objects under `towns/<town>/` of the
 * uploads bucket, and the personal-data key with the encryption context `town=<town>`. The jobs that
 * work inside towns (jobs stack) assume the same role the same way, one town at a time. The county
 * function has its own, narrow policy. The public function may read one key, the readiness probe's.
 */
export class ApiStack extends Stack {
  readonly functions: Record<string, GridlineFunction> = {};
  readonly townDataRole: iam.Role;
  readonly dataGuard: iam.ManagedPolicy;
  readonly stage: apigwv2.HttpStage;
  readonly accessLog: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    // The endpoint belongs to the web stack (see WebStack); everything attached to it is created here.
    // Imported in this stack so that the authorizer, like the routes, is a resource of this stack.
    const httpApi = apigwv2.HttpApi.fromHttpApiAttributes(this, 'HttpApi', {
      httpApiId: props.httpApi.apiId,
      apiEndpoint: props.httpApi.apiEndpoint,
    });
    const tableRef = { tableArn: table.tableArn };

    const envKey = new kms.Key(this, 'EnvironmentKey', {
      description: `Gridline ${config.county}: encrypts the API functions' environment`,
      enableKeyRotation: true,
      // Protects nothing that outlives the functions.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.dataGuard = new iam.ManagedPolicy(this, 'DataGuard', {
      description: 'Gridline: no Scan or PartiQL; audit entries cannot be updated or deleted',
      statements: dataGuardStatements(tableRef),
    });

    const common = {
      GRIDLINE_TABLE: table.tableName,
      GRIDLINE_CURSOR_SECRET: props.cursorSecretRef,
    };
    const areaSettings: Record<string, { description: string; environment: Record<string, string>; timeout?: Duration }> = {
      public: {
        description: 'Gridline public routes (health, readiness, OpenAPI document)',
        environment: { GRIDLINE_TABLE: table.tableName },
      },
      county: {
        description: 'Gridline county routes: tenant registry and town provisioning',
        environment: {
          ...common,
          GRIDLINE_USER_POOL_ID: props.userPoolId,
          // "Run a rollup now": invoked synchronously (RequestResponse), see RunRollupJob below.
          GRIDLINE_ROLLUP_FUNCTION: props.rollupFunctionName,
          // "Reconcile a town now": the same, with the reconcile job (RunReconcileJob below).
          GRIDLINE_RECONCILE_FUNCTION: props.reconcileFunctionName,
        },
        timeout: COUNTY_TIMEOUT,
      },
      town: {
        description: 'Gridline town routes, with town-scoped credentials',
        environment: {
          ...common,
          // The vault wraps and unwraps each town's data key with this key, as the town data role.
          GRIDLINE_KMS_KEY_ID: props.personalKey.keyArn,
          // Population-book imports; the town data role reaches towns/<its town>/ only.
          GRIDLINE_UPLOADS_BUCKET: props.uploadsBucketName,
          // Naming a grid's coordinator edits the scope claims of the accounts concerned (CoordinatorScopes below).
          GRIDLINE_USER_POOL_ID: props.userPoolId,
        },
      },
    };

    for (const area of areas) {
      const settings = areaSettings[area];
      if (!settings) throw new Error(`The route table has an area "${area}" that the API stack does not know how to deploy`);
      this.functions[area] = new GridlineFunction(this, `Area-${area}`, {
        bundleDir: props.bundleDir,
        area,
        name: area,
        county: config.county,
        description: settings.description,
        // Read by functions/src/pipeline/trace.ts: '1' loads the detailed tracer on the first request.
        environment: { ...settings.environment, GRIDLINE_TRACE_DETAIL: config.traceDetail ? '1' : '0' },
        environmentKey: envKey,
        timeout: settings.timeout ?? API_TIMEOUT,
      });
    }
    const town = this.functions.town;
    const county = this.functions.county;
    if (!town || !county) throw new Error('The route table must have a town and a county area');

    // The town data role: assumed per request by the town function, and per town by the town-scoped
    // jobs, always tagged with the town. Every trust statement admits sts:AssumeRole and sts:TagSession
    // together, and only with exactly one session tag, `town`, present and non-empty: an untagged
    // session cannot be had.
    this.townDataRole = new iam.Role(this, 'TownDataRole', {
      // Named: the personal-data key's policy in the data stack names this role (see townDataRoleName).
      roleName: townDataRoleName(config.county, config.region),
      description: 'Gridline: the items, uploads and personal-data key of one town, chosen by the session tag "town"',
      assumedBy: new iam.SessionTagsPrincipal(new iam.ArnPrincipal(town.role.roleArn)).withConditions(TOWN_SESSION_CONDITIONS),
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [this.dataGuard],
    });
    if (props.townScopedJobRoles.length > 0)
      this.townDataRole.assumeRolePolicy?.addStatements(
        new iam.PolicyStatement({
          sid: 'TownScopedJobs',
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          principals: props.townScopedJobRoles.map((r) => new iam.ArnPrincipal(r.roleArn)),
          conditions: TOWN_SESSION_CONDITIONS,
        }),
      );
    for (const s of townStatements(tableRef, props.uploadsArn)) this.townDataRole.addToPolicy(s);
    this.townDataRole.addToPolicy(dataKeyUse(props.dataKey.keyArn, ['dynamodb', 's3'], KEY_READ_WRITE));
    // Personal data: the session's own town's data key only (encryption context town = session tag).
    // Granted to this role and to no other: the town function itself holds no use of the key.
    this.townDataRole.addToPolicy(townPersonalKeyUse(props.personalKey.keyArn));

    town.role.addToPrincipalPolicy(assumeTownDataRole(this.townDataRole.roleArn));
    town.fn.addEnvironment('GRIDLINE_TOWN_ROLE_ARN', this.townDataRole.roleArn);

    // Committed imports run in the import job's function, started asynchronously (InvocationType
    // Event, functions/src/jobs/dispatch.ts); the town function may invoke that function and no other.
    town.fn.addEnvironment('GRIDLINE_JOBS_FUNCTION', props.importFunctionName);
    town.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartImportJob',
        actions: ['lambda:InvokeFunction'],
        resources: [this.functionArn(props.importFunctionName)],
      }),
    );

    // Naming a grid's coordinator (定人) or retiring a grid moves `grid:<id>` between scope claims
    // (functions/src/grid-scope.ts): read an account, then write or delete its custom:scope. IAM cannot
    // narrow these actions to one attribute or one town's accounts; the code changes custom:scope only,
    // of accounts whose custom:town is the caller's town (decision 24). A coordinator's sign-in follows
    // the team record (decisions 66–67): appointment creates the account (a grid coordinator of the
    // caller's town) or enables it, leave and dismissal disable it and sign it out everywhere. Staff of
    // other roles follow their record the same way (decisions 77–79), and a new account or a new role
    // puts the account in its role's group (the groups are for the console; the API reads custom:role).
    town.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CoordinatorScopes',
        actions: [
          'cognito-idp:AdminGetUser',
          'cognito-idp:AdminUpdateUserAttributes',
          'cognito-idp:AdminDeleteUserAttributes',
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminUserGlobalSignOut',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminRemoveUserFromGroup',
        ],
        resources: [props.userPoolArn],
      }),
    );

    // The public function: readiness reads one key that never holds data (GET /health/ready).
    const open = this.functions.public;
    if (open) {
      open.role.addManagedPolicy(this.dataGuard);
      for (const s of publicStatements(tableRef)) open.role.addToPrincipalPolicy(s);
      open.role.addToPrincipalPolicy(dataKeyUse(props.dataKey.keyArn, ['dynamodb'], KEY_READ));
    }

    // The county function: platform items, provisioning writes, town META reads; and user accounts.
    county.role.addManagedPolicy(this.dataGuard);
    for (const s of countyStatements(tableRef)) county.role.addToPrincipalPolicy(s);
    county.role.addToPrincipalPolicy(dataKeyUse(props.dataKey.keyArn, ['dynamodb'], KEY_READ_WRITE));
    county.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageAccounts',
        actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup'],
        resources: [props.userPoolArn],
      }),
    );
    // "Run a rollup now": the county function cannot read town counters, so it invokes the rollup job's
    // function synchronously (runRollupNow, functions/src/jobs/rollup.ts) and waits for its result;
    // that function and no other. The ARN is spelled from the fixed name: no export between stacks.
    county.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunRollupJob',
        actions: ['lambda:InvokeFunction'],
        resources: [this.functionArn(props.rollupFunctionName)],
      }),
    );
    // "Reconcile a town now": likewise, the recount reads the town's records, which only the job (as the
    // town's session) may; the county function waits for the counts it answers.
    county.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunReconcileJob',
        actions: ['lambda:InvokeFunction'],
        resources: [this.functionArn(props.reconcileFunctionName)],
      }),
    );

    // Stage: throttled for all routes together, access log without bodies or personal data.
    this.accessLog = new logs.LogGroup(this, 'AccessLog', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLog),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            responseLength: '$context.responseLength',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer('CognitoIdToken', props.issuerUrl, {
      jwtAudience: props.clientIds,
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const area of areas) {
      const f = this.functions[area];
      if (f) integrations.set(area, new HttpLambdaIntegration(`Integration-${area}`, f.fn));
    }
    for (const route of routeTable) {
      const integration = integrations.get(route.area);
      if (!integration) throw new Error(`No function for area ${route.area}`);
      new apigwv2.HttpRoute(this, `Route-${route.id}`, {
        httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, METHODS[route.method]),
        integration,
        ...(route.audience === 'public' ? {} : { authorizer }),
      });
    }

    new CfnOutput(this, 'TownDataRoleArn', { value: this.townDataRole.roleArn });
  }

  /** A function's ARN in this account and region, from its fixed name (unqualified: no version or alias). */
  private functionArn(name: string): string {
    return this.formatArn({ service: 'lambda', resource: 'function', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
