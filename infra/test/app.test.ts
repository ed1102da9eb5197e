import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { bundleAreas } from '@gridline/functions/build';
import { areaEntries } from '@gridline/functions/manifest';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNagChecks } from '../src/nag';
import { allStatements, ROOT, type Synthesized, synthGridline } from './support';

/** Resource types this app uses that CloudFormation does not offer in the AWS China regions. */
const CHINA_UNAVAILABLE = [
  'AWS::CloudFront::Function',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolGroup',
];

let bundleDir: string;
let s: Synthesized;
beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'gridline-real-bundles-'));
  await bundleAreas(bundleDir);
  s = synthGridline({ bundleDir, nag: true });
}, 120_000);

describe('the whole app', () => {
  it('synthesises from the real esbuild bundles, one per area and for the jobs, each within the 500 KB budget', () => {
    for (const area of Object.keys(areaEntries)) {
      const bytes = statSync(join(bundleDir, area, 'index.mjs')).size;
      expect(`${area} ${bytes > 1000 && bytes <= 500_000}`).toBe(`${area} true`);
    }
  });

  it("ships every chunk of an area's bundle in its function's asset, each import resolving inside it", () => {
    const filesIn = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)))
        .sort();
    // The folders the CDK staged as assets: a function's code is one of them.
    const staged = readdirSync(s.app.outdir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name.startsWith('asset.'))
      .map((e) => join(s.app.outdir, e.name));
    for (const area of Object.keys(areaEntries)) {
      const dir = join(bundleDir, area);
      const files = filesIn(dir);
      const entry = readFileSync(join(dir, 'index.mjs'));
      const asset = staged.find((a) => existsSync(join(a, 'index.mjs')) && readFileSync(join(a, 'index.mjs')).equals(entry));
      expect(`${area} ${asset !== undefined}`).toBe(`${area} true`);
      expect(filesIn(asset as string)).toEqual(files);
      for (const f of files.filter((x) => x.endsWith('.mjs'))) {
        const code = readFileSync(join(dir, f), 'utf8');
        for (const m of code.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
          const target = relative(dir, resolve(dirname(join(dir, f)), m[1] as string));
          expect(`${area}/${f} → ${target} ${files.includes(target)}`).toBe(`${area}/${f} → ${target} true`);
        }
      }
    }
  });

  it('passes the cdk-nag AwsSolutions checks with no unacknowledged finding', () => {
    // synthGridline ran app.synth() with the checks registered: a finding would have thrown there.
    const report = new AwsSolutionsChecks(s.app).validateScope(s.app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
    const written = join(s.app.outdir, 'validation-report.json');
    if (existsSync(written)) expect(JSON.parse(readFileSync(written, 'utf8')).pluginReports ?? []).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acks = s.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acks.length).toBeGreaterThan(5);
    for (const [id, reason] of acks) expect(`${id}: ${reason.length > 20}`).toBe(`${id}: true`);
  });

  it('writes no partition into an ARN: every ARN uses AWS::Partition (so aws-cn works)', () => {
    for (const [name, template] of Object.entries(s.json))
      expect(`${name} ${/arn:aws(-cn|-us-gov)?:/.test(JSON.stringify(template))}`).toBe(`${name} false`);
    const resources = allStatements(s.json.api).flatMap((st) => [st.Resource].flat());
    expect(JSON.stringify(resources)).toContain('AWS::Partition');
  });

  it('names the stacks after the county and deploys them to the region from context', () => {
    for (const stack of Object.values(s.stacks)) {
      expect(stack.stackName).toMatch(/^Gridline-demo-/);
      expect(stack.region).toBe('ap-southeast-1');
    }
  });
});

describe('the nag checks', () => {
  it('stop synthesis on a finding (here: a bucket without TLS enforcement or logs)', () => {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    new s3.Bucket(stack, 'Careless');
    addNagChecks(app);
    expect(() => app.synth()).toThrow();
  });
});

describe('another region and county', () => {
  it('synthesises for another region and county from context alone', () => {
    const other = synthGridline({
      context: { 'gridline:region': 'eu-central-1', 'gridline:county': 'qingshan', 'gridline:cognitoDomainPrefix': 'qingshan-login' },
    });
    expect(other.stacks.data.region).toBe('eu-central-1');
    expect(other.stacks.data.stackName).toBe('Gridline-qingshan-Data');
    expect(JSON.stringify(other.json.data)).toContain('gridline-qingshan');
    // A chosen login domain reaches both the user pool domain and the CSP's connect-src.
    expect(JSON.stringify(other.json.identity)).toContain('"Domain":"qingshan-login"');
    expect(JSON.stringify(other.json.web)).toContain("connect-src 'self' https://qingshan-login.auth.");
    // The personal-data key's policy names the town data role of this county and region.
    expect(JSON.stringify(other.json.data)).toContain(':role/gridline-qingshan-town-data-eu-central-1');
    expect(JSON.stringify(other.json.api)).toContain('"RoleName":"gridline-qingshan-town-data-eu-central-1"');
  });

  it('refuses a county name that is not a slug', () => {
    expect(() => synthGridline({ context: { 'gridline:county': 'Qing Shan' } })).toThrow(/gridline:county/);
  });

  // docs/deploy.md lists what the AWS China regions lack. CDK's offline CloudFormation validation
  // knows which resource types exist per region; this keeps the list in the docs honest.
  it.each(['cn-north-1', 'cn-northwest-1'])('in %s, is refused only for the resource types docs/deploy.md names', (region) => {
    let message = '';
    try {
      synthGridline({ context: { 'gridline:region': region } });
    } catch (e) {
      message = String((e as Error).message);
    }
    const missing = new Set([...message.matchAll(/Resource type '([^']+)' does not exist/g)].map((m) => m[1]));
    expect([...missing].sort()).toEqual(CHINA_UNAVAILABLE);
    const docs = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
    for (const type of CHINA_UNAVAILABLE) expect(docs).toContain(type);
  });
});
