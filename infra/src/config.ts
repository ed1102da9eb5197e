import { type MapTiles, parseMapTiles } from '@gridline/domain';
import type { Node } from 'constructs';

/**
 * What one deployment needs to know, read from CDK context (cdk.json, or `-c key=value` on the command
 * line). Nothing here is a secret and nothing is looked up in an AWS account, so `cdk synth` stays offline.
 */
export type GridlineConfig = {
  /** Slug of the county: part of stack names, the table name, the Cognito domain and the alarm names. */
  county: string;
  /** Human name of the county, for descriptions and the dashboard. */
  countyName: string;
  /** The region every stack deploys to. The account comes from the CLI's credentials at deploy time. */
  region: string;
  /**
   * Prefix of the Cognito hosted-login domain (`<prefix>.auth.<region>.amazoncognito.com`). Prefixes are
   * unique per region across all AWS customers; unset, the identity stack uses `gridline-<county>-<account>`.
   */
  cognitoDomainPrefix: string | undefined;
  /** Optional custom domain for the web app (required in the AWS China regions) and its certificate. */
  webDomain: string | undefined;
  webCertificateArn: string | undefined;
  /** Where the built web app is (`pnpm --filter @gridline/web build`), relative to the repository root. */
  webBuildDir: string;
  /** E-mail address subscribed to the alarm topic; none when unset. */
  alarmEmail: string | undefined;
  /** Steady-state requests per second and burst of the HTTP API stage, for all routes together. */
  apiRateLimit: number;
  apiBurstLimit: number;
  /**
   * Optional background tiles for the population map (packages/domain/src/map-tiles.ts): their origins
   * join the CSP's img-src and the setting reaches the web app in config.json. None: no tiles, no requests.
   */
  mapTiles: MapTiles | undefined;
  /**
   * Detailed tracing in the API functions (Powertools Tracer: handler subsegments, DynamoDB calls, route
   * and town annotations). Off by default: the tracer and the X-Ray SDK then stay out of every cold start,
   * and Lambda's active tracing still records each invocation. `-c gridline:traceDetail=true` turns it on.
   */
  traceDetail: boolean;
};

// At most 18 characters: bucket names `gridline-<county>-uploads-<account>-<region>` must fit in 63.
const SLUG = /^[a-z][a-z0-9-]{1,16}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function text(node: Node, key: string): string | undefined {
  const v: unknown = node.tryGetContext(`gridline:${key}`);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new Error(`context gridline:${key} must be a string`);
  return v;
}

function flag(node: Node, key: string): boolean {
  const v: unknown = node.tryGetContext(`gridline:${key}`);
  if (v === undefined || v === null || v === '' || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new Error(`context gridline:${key} must be true or false`);
}

function count(node: Node, key: string, fallback: number): number {
  const v: unknown = node.tryGetContext(`gridline:${key}`);
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`context gridline:${key} must be a positive integer`);
  return n;
}

/** Reads and checks the deployment settings; a wrong value stops synthesis with a message naming the key. */
export function readConfig(node: Node): GridlineConfig {
  const county = text(node, 'county');
  if (!county || !SLUG.test(county))
    throw new Error(
      'context gridline:county must be a slug of 3–18 lower-case letters, digits or hyphens (e.g. -c gridline:county=qingshan)',
    );
  const region = text(node, 'region');
  if (!region || !REGION.test(region)) throw new Error('context gridline:region must be an AWS region such as ap-southeast-1');
  const cognitoDomainPrefix = text(node, 'cognitoDomainPrefix');
  if (
    cognitoDomainPrefix !== undefined &&
    (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(cognitoDomainPrefix) || /aws|amazon|cognito/.test(cognitoDomainPrefix))
  )
    throw new Error('context gridline:cognitoDomainPrefix: lower-case letters, digits and hyphens, without "aws", "amazon" or "cognito"');
  const webDomain = text(node, 'webDomain');
  const webCertificateArn = text(node, 'webCertificateArn');
  if (!!webDomain !== !!webCertificateArn) throw new Error('context gridline:webDomain and gridline:webCertificateArn go together');
  const alarmEmail = text(node, 'alarmEmail');
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) throw new Error('context gridline:alarmEmail is not an e-mail address');
  return {
    county,
    countyName: text(node, 'countyName') ?? county,
    region,
    cognitoDomainPrefix,
    webDomain,
    webCertificateArn,
    webBuildDir: text(node, 'webBuildDir') ?? 'web/build',
    alarmEmail,
    apiRateLimit: count(node, 'apiRateLimit', 100),
    apiBurstLimit: count(node, 'apiBurstLimit', 200),
    mapTiles: parseMapTiles(node.tryGetContext('gridline:mapTiles'), 'context gridline:mapTiles'),
    traceDetail: flag(node, 'traceDetail'),
  };
}
