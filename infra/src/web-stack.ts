import { existsSync } from 'node:fs';
import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { mapTileOrigins } from '@gridline/domain';
import type { Construct } from 'constructs';
import type { GridlineConfig } from './config';
import { uploadsBucketOrigin } from './data-stack';
import { SPA_FALLBACK, STRIP_API_PREFIX } from './edge-functions';
import { TRUSTED_ATTRIBUTES } from './identity-stack';

export type WebStackProps = StackProps & {
  config: GridlineConfig;
  userPool: cognito.IUserPool;
  /** Host name of the Cognito hosted login. */
  loginHost: string;
  /** Absolute path of the built web app; a placeholder page is deployed when it does not exist. */
  webBuildDir: string;
};

/** The callback and sign-out paths of the web app (web/src/lib/auth/cognito.ts). */
export const CALLBACK_PATH = '/login/callback';
export const SIGNED_OUT_PATHS = ['/login?reason=signedOut', '/login'];

/**
 * The one public origin: CloudFront serving the single-page app from a private bucket (origin access
 * control) and sending `/api/*` to the HTTP API, with the security headers on every response.
 *
 * This stack also owns the HTTP API's endpoint and the web app's Cognito client, which breaks what would
 * otherwise be a cycle between stacks: the distribution needs the API's address, the Cognito client
 * needs the distribution's address (its callback URL), and the API's JWT authorizer needs the client id.
 * The API stack then adds the stage, routes, authorizer and functions to this endpoint.
 */
export class WebStack extends Stack {
  readonly httpApi: apigwv2.HttpApi;
  readonly distribution: cloudfront.Distribution;
  readonly client: cognito.UserPoolClient;
  readonly siteBucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  /** Host name users open (custom domain, or the distribution's own). */
  readonly siteHost: string;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { county, webDomain, webCertificateArn } = props.config;

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `gridline-${county}`,
      description: 'Gridline HTTP API (routes from functions/src/routes.ts)',
      createDefaultStage: false,
    });

    // CloudFront standard logs are delivered with an ACL grant, so this bucket keeps ACLs (object writer).
    this.logBucket = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      versioned: true,
      lifecycleRules: [
        { id: 'expire-logs', expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.siteBucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-site/',
      lifecycleRules: [{ id: 'old-versions', noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const loginOrigin = `https://${props.loginHost}`;
    const { mapTiles } = props.config;
    // The population map's background tiles, when the deployment has them (gridline:mapTiles).
    const tileOrigins = mapTiles ? mapTileOrigins(mapTiles) : [];
    const csp = [
      "default-src 'self'",
      // SvelteKit's static adapter starts the app with a small inline script.
      "script-src 'self' 'unsafe-inline'",
      "style-src 'self' 'unsafe-inline'",
      ["img-src 'self' data: blob:", ...tileOrigins].join(' '),
      "font-src 'self'",
      // The browser trades the login code for tokens at the Cognito domain, and posts files straight to
      // the uploads bucket through the signed forms the API hands out (decision 98).
      `connect-src 'self' ${loginOrigin} ${uploadsBucketOrigin(county)}`,
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ].join('; ');
    const securityHeaders: cloudfront.ResponseSecurityHeadersBehavior = {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    };
    const siteHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SiteHeaders', {
      comment: 'Gridline web app: CSP, HSTS, nosniff, frame deny, referrer policy',
      securityHeadersBehavior: securityHeaders,
    });
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'Gridline API: the same security headers, and no caching of answers that may hold personal data',
      securityHeadersBehavior: securityHeaders,
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: 'no-store', override: false }] },
    });

    const stripApi = new cloudfront.Function(this, 'StripApiPrefix', {
      comment: 'Removes the /api prefix before the HTTP API',
      code: cloudfront.FunctionCode.fromInline(STRIP_API_PREFIX),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      comment: 'Serves index.html for client-side routes',
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const apiOrigin = new origins.HttpOrigin(`${this.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(30),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Gridline ${county}`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // With a custom domain, TLS 1.2 at least; the default *.cloudfront.net certificate has a fixed policy.
      ...(webDomain && webCertificateArn
        ? {
            domainNames: [webDomain],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', webCertificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: siteHeaders,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Every viewer header (Authorization included) except Host, which API Gateway must see as its own.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: apiHeaders,
          functionAssociations: [{ function: stripApi, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });
    this.siteHost = webDomain ?? this.distribution.distributionDomainName;
    const siteOrigin = `https://${this.siteHost}`;

    // The web app's client: a public client (no secret) for the authorization-code grant; the web app
    // always sends a PKCE S256 challenge. Users may change their display name and nothing else: town,
    // role and scope are readable claims that only administrators (AdminCreateUser) ever set.
    this.client = new cognito.UserPoolClient(this, 'WebClient', {
      userPool: props.userPool,
      userPoolClientName: `gridline-${county}-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${siteOrigin}${CALLBACK_PATH}`],
        logoutUrls: SIGNED_OUT_PATHS.map((p) => `${siteOrigin}${p}`),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true })
        .withCustomAttributes(...TRUSTED_ATTRIBUTES),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    const built = existsSync(props.webBuildDir);
    if (!built)
      Annotations.of(this).addWarning(
        `No web build at ${props.webBuildDir}: a placeholder page is deployed. Run \`pnpm --filter @gridline/web build\` first.`,
      );
    const site = built
      ? s3deploy.Source.asset(props.webBuildDir)
      : s3deploy.Source.data(
          'index.html',
          '<!doctype html><meta charset="utf-8"><title>Gridline</title><p>The web app was not built before this deployment.</p>',
        );
    const deploySite = new s3deploy.BucketDeployment(this, 'DeploySite', {
      sources: [site],
      destinationBucket: this.siteBucket,
      exclude: ['config.json'],
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    // The deployed web app's settings (web/src/lib/api.ts reads them); never cached by browsers.
    const deployConfig = new s3deploy.BucketDeployment(this, 'DeployConfig', {
      sources: [
        s3deploy.Source.jsonData('config.json', {
          mode: 'cognito',
          apiBase: '/api',
          cognito: { domain: props.loginHost, clientId: this.client.userPoolClientId, redirectUri: `${siteOrigin}${CALLBACK_PATH}` },
          ...(mapTiles ? { mapTiles } : {}),
        }),
      ],
      destinationBucket: this.siteBucket,
      prune: false,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/config.json'],
      memoryLimit: 512,
    });
    deployConfig.node.addDependency(deploySite);

    new CfnOutput(this, 'SiteUrl', { value: siteOrigin });
    new CfnOutput(this, 'ApiUrl', { value: `${siteOrigin}/api` });
    new CfnOutput(this, 'WebClientId', { value: this.client.userPoolClientId });
    new CfnOutput(this, 'DistributionDomain', { value: this.distribution.distributionDomainName });
  }
}
