import { ROLES } from '@gridline/domain';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { GridlineConfig } from './config';

export type IdentityStackProps = StackProps & { config: GridlineConfig };

/** The claims the API trusts. Users can never write them: no app client lists them as writable. */
export const TRUSTED_ATTRIBUTES = ['town', 'role', 'scope'] as const;

/**
 * The user pool: accounts of county IT and town staff, their town/role/scope claims, and the hosted
 * login domain. The web app's client lives in the web stack, because its callback URL is the
 * distribution's address.
 *
 * MFA: Cognito sets MFA per pool, not per user group, so the pool requires it of everyone (TOTP
 * authenticator apps; no SMS). That covers county and town admins as asked and, as a side effect,
 * every other role too; for an app holding residents' ID numbers that is the right default. An
 * "optional MFA plus a trigger that rejects admins without it" design was rejected: the hosted login
 * only walks a user through TOTP enrolment when the pool requires MFA, so admins would have no way to
 * enrol.
 */
export class IdentityStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  /** The county IT command line's client: username, password and TOTP code, no hosted login. */
  readonly cliClient: cognito.UserPoolClient;
  /** Host name of the hosted login, without scheme: what the web app's config.json calls `domain`. */
  readonly loginHost: string;
  /** Issuer of the pool's tokens, for the HTTP API's JWT authorizer. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { county, countyName, cognitoDomainPrefix } = props.config;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `gridline-${county}`,
      // County IT creates every account (first admin from the CLI, town admins by provisioning).
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: {
        fullname: { required: false, mutable: true },
        email: { required: false, mutable: true },
      },
      customAttributes: {
        // A user never moves between towns: a new town means a new account.
        town: new cognito.StringAttribute({ minLen: 3, maxLen: 32, mutable: false }),
        role: new cognito.StringAttribute({ minLen: 3, maxLen: 32, mutable: true }),
        scope: new cognito.StringAttribute({ maxLen: 2048, mutable: true }),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: `Gridline ${countyName}: your account`,
        emailBody: `Your Gridline account is {username}; the temporary password is {####}. You will set a new password and an authenticator app at first sign-in.`,
      },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // One group per role, for the console and for reports by group; the API reads custom:role.
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Gridline role ${role}`,
      });
    }

    const domainPrefix = cognitoDomainPrefix ?? `gridline-${county}-${Aws.ACCOUNT_ID}`;
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    // Spelled out like UserPoolDomain.baseUrl() does, without the scheme the web config does not want.
    this.loginHost = `${domainPrefix}.auth.${Aws.REGION}.amazoncognito.com`;
    this.issuerUrl = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;

    // `pnpm gridline` against the deployed API needs an ID token without a browser. MFA still applies:
    // the password step is followed by the SOFTWARE_TOKEN_MFA challenge.
    this.cliClient = new cognito.UserPoolClient(this, 'CliClient', {
      userPool: this.userPool,
      userPoolClientName: `gridline-${county}-cli`,
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(1),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true })
        .withCustomAttributes(...TRUSTED_ATTRIBUTES),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'CliClientId', { value: this.cliClient.userPoolClientId });
    new CfnOutput(this, 'LoginHost', { value: this.loginHost });
  }
}
