import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPA_FALLBACK, STRIP_API_PREFIX } from '../../src/edge-functions';
import { type Json, logicalIdOf, resolveValue, resourcesOf, type Synthesized } from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function webSpecs(get: () => Synthesized) {
  let s: Synthesized;
  let dist: Json;
  beforeAll(() => {
    s = get();
    dist = Object.values(resourcesOf(s.t.web, 'AWS::CloudFront::Distribution'))[0]?.Properties?.DistributionConfig;
  });

  const apiBehavior = () => (dist.CacheBehaviors as Json[]).find((b) => b.PathPattern === '/api/*');
  const originOf = (b: Json) => (dist.Origins as Json[]).find((o) => o.Id === b.TargetOriginId);

  const deployment = (id: string) => {
    const found = Object.entries(s.t.web.findResources('Custom::CDKBucketDeployment')).find(([k]) => k.startsWith(id));
    if (!found) throw new Error(`no ${id}`);
    return found[1].Properties as Json;
  };

  /** Runs a CloudFront Function's source on a viewer-request event. */
  function runEdge(source: string, uri: string): string {
    const handler = new Function(`${source}; return handler;`)() as (e: unknown) => { uri: string };
    return handler({ request: { uri, method: 'GET', querystring: {}, headers: {} } }).uri;
  }

  describe('the site origin', () => {
    it('is the private site bucket, reached through origin access control (no OAI, no public access)', () => {
      const origin = originOf(dist.DefaultCacheBehavior);
      expect(origin.DomainName['Fn::GetAtt'][0]).toBe(logicalIdOf(s.stacks.web.siteBucket, s.stacks.web));
      expect(origin.OriginAccessControlId).toBeDefined();
      expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('');
      const oac = Object.values(resourcesOf(s.t.web, 'AWS::CloudFront::OriginAccessControl'))[0]?.Properties as Json;
      expect(oac.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const bucket = resourcesOf(s.t.web, 'AWS::S3::Bucket')[logicalIdOf(s.stacks.web.siteBucket, s.stacks.web)]?.Properties as Json;
      expect(bucket.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
    });

    it('lets only this distribution read the bucket (CloudFront service principal, SourceArn condition)', () => {
      const siteId = logicalIdOf(s.stacks.web.siteBucket, s.stacks.web);
      const policy = Object.values(resourcesOf(s.t.web, 'AWS::S3::BucketPolicy')).find(
        (p) => (p.Properties?.Bucket as Json)?.Ref === siteId,
      );
      const read = (policy?.Properties?.PolicyDocument.Statement as Json[] | undefined)?.find(
        (st) => st.Principal?.Service === 'cloudfront.amazonaws.com',
      );
      expect(read.Action).toBe('s3:GetObject');
      expect(JSON.stringify(read.Condition.StringEquals['AWS:SourceArn'])).toContain(logicalIdOf(s.stacks.web.distribution, s.stacks.web));
    });

    it('serves index.html for client-side routes and files as they are', () => {
      expect(dist.DefaultCacheBehavior.FunctionAssociations[0].EventType).toBe('viewer-request');
      expect(runEdge(SPA_FALLBACK, '/town/hierarchy')).toBe('/index.html');
      expect(runEdge(SPA_FALLBACK, '/')).toBe('/index.html');
      expect(runEdge(SPA_FALLBACK, '/_app/immutable/entry/app.js')).toBe('/_app/immutable/entry/app.js');
      expect(runEdge(SPA_FALLBACK, '/config.json')).toBe('/config.json');
    });
  });

  describe('/api/*', () => {
    it('goes to the HTTP API over HTTPS, uncached, with every viewer header but Host, all methods', () => {
      const b = apiBehavior();
      const origin = originOf(b);
      expect(JSON.stringify(origin.DomainName)).toContain(logicalIdOf(s.stacks.web.httpApi, s.stacks.web));
      expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
      expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
      expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
      expect(b.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
      expect(b.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']));
      expect(b.ViewerProtocolPolicy).toBe('https-only');
    });

    it('loses its /api prefix before the API, as the route table has none', () => {
      const fnId = apiBehavior().FunctionAssociations[0].FunctionARN['Fn::GetAtt'][0];
      const code = resourcesOf(s.t.web, 'AWS::CloudFront::Function')[fnId]?.Properties?.FunctionCode;
      expect(code).toBe(STRIP_API_PREFIX);
      expect(runEdge(STRIP_API_PREFIX, '/api/town/me')).toBe('/town/me');
      expect(runEdge(STRIP_API_PREFIX, '/api/admin/towns/qingshi')).toBe('/admin/towns/qingshi');
      expect(runEdge(STRIP_API_PREFIX, '/api')).toBe('/');
      expect(runEdge(STRIP_API_PREFIX, '/apix/town/me')).toBe('/apix/town/me');
    });
  });

  describe('security headers', () => {
    const policies = () => resourcesOf(s.t.web, 'AWS::CloudFront::ResponseHeadersPolicy');

    it('every behaviour has a response headers policy with CSP, HSTS, nosniff and frame deny', () => {
      for (const b of [dist.DefaultCacheBehavior, apiBehavior()]) {
        const policy = policies()[b.ResponseHeadersPolicyId.Ref]?.Properties as Json;
        const h = policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
        const csp = JSON.stringify(h.ContentSecurityPolicy.ContentSecurityPolicy);
        for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"])
          expect(csp).toContain(directive);
        expect(csp).toContain('.auth.'); // connect-src admits the Cognito login domain for the token exchange
        expect(h.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31536000);
        expect(h.ContentTypeOptions.Override).toBe(true);
        expect(h.FrameOptions.FrameOption).toBe('DENY');
      }
    });

    it('connect-src admits this origin, the user pool’s hosted-login domain (its base URL) for the token exchange, and the uploads bucket', () => {
      const identity = s.stacks.identity;
      const domainId = logicalIdOf(identity.domain, identity);
      const domain = resourcesOf(s.t.identity, 'AWS::Cognito::UserPoolDomain')[domainId]?.Properties as Json;
      // What UserPoolDomain.baseUrl() gives, with the domain resource's name filled in.
      const baseUrl = resolveValue(identity.resolve(identity.domain.baseUrl())).replace(`<Ref:${domainId}>`, resolveValue(domain.Domain));
      expect(baseUrl).toBe('https://gridline-demo-111122223333.auth.ap-southeast-1.amazoncognito.com');
      for (const b of [dist.DefaultCacheBehavior, apiBehavior()]) {
        const policy = policies()[b.ResponseHeadersPolicyId.Ref]?.Properties as Json;
        const csp = resolveValue(policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
        const directives = csp.split(';').map((d) => d.trim());
        const connect = directives.filter((d) => d.startsWith('connect-src '));
        expect(connect).toHaveLength(1);
        const [self, login, uploads, ...rest] = (connect[0] as string).split(' ').slice(1);
        expect([self, login, rest]).toEqual(["'self'", baseUrl, []]);
        // The browser posts files straight to the uploads bucket (decision 98).
        expect(uploads).toMatch(/^https:\/\/gridline-demo-uploads-.+\.s3\..+/);
      }
    });

    it('img-src admits this origin and inline images only, when no map tiles are configured', () => {
      for (const b of [dist.DefaultCacheBehavior, apiBehavior()]) {
        const policy = policies()[b.ResponseHeadersPolicyId.Ref]?.Properties as Json;
        const csp = resolveValue(policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
        expect(csp.split(';').filter((d) => d.trim().startsWith('img-src '))).toEqual([" img-src 'self' data: blob:"]);
      }
    });

    it('API answers are never stored by the browser', () => {
      const policy = policies()[apiBehavior().ResponseHeadersPolicyId.Ref]?.Properties as Json;
      expect(policy.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items).toEqual([
        { Header: 'Cache-Control', Value: 'no-store', Override: false },
      ]);
    });
  });

  describe('the web app deployment', () => {
    it('publishes the built app, keeping config.json out of its pruning', () => {
      const site = deployment('DeploySite');
      expect(site.Prune).toBe(true);
      expect(site.Exclude).toEqual(['config.json']);
    });

    it('publishes config.json for Cognito mode with the web client, the login domain and the callback, never cached', () => {
      const config = deployment('DeployConfig');
      expect(config.Prune).toBe(false);
      expect(config.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
      const key = String(config.SourceObjectKeys[0]).replace(/\.zip$/, '');
      const staged = JSON.parse(readFileSync(join(s.app.outdir, `asset.${key}`, 'config.json'), 'utf8'));
      const markers = config.SourceMarkers[0] as Record<string, unknown>;
      const fill = (text: string) => text.replace(/<<marker:0xbaba:\d+>>/g, (m) => `{${JSON.stringify(markers[m])}}`);
      expect(staged.mode).toBe('cognito');
      expect(staged.apiBase).toBe('/api');
      expect(staged).not.toHaveProperty('mapTiles');
      expect(fill(staged.cognito.clientId)).toContain(logicalIdOf(s.stacks.web.client, s.stacks.web));
      expect(fill(staged.cognito.domain)).toMatch(/\.auth\..*amazoncognito\.com$/);
      expect(fill(staged.cognito.redirectUri)).toMatch(/^https:\/\/.*DomainName.*\/login\/callback$/);
    });

    it('logs viewer requests to the log bucket', () => {
      expect(dist.Logging.Bucket['Fn::GetAtt'][0]).toBe(logicalIdOf(s.stacks.web.logBucket, s.stacks.web));
    });
  });
}
