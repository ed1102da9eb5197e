import { areas, jobs, onDemandJobs, routeKey, routeTable } from '@gridline/functions/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, type Resource, resourcesOf, type Synthesized, type Json } from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function apiSpecs(get: () => Synthesized) {
  let s: Synthesized;
  let routes: Resource[];
  beforeAll(() => {
    s = get();
    routes = Object.values(resourcesOf(s.t.api, 'AWS::ApiGatewayV2::Route'));
  });

  const routeProps = (key: string) => routes.find((r) => r.Properties?.RouteKey === key)?.Properties as Json | undefined;
  const allFunctions = () => ({ ...resourcesOf(s.t.api, 'AWS::Lambda::Function'), ...resourcesOf(s.t.jobs, 'AWS::Lambda::Function') });
  const gridlineFunctions = () =>
    Object.entries(allFunctions()).filter(([, f]) => String(f.Properties?.FunctionName ?? '').startsWith('gridline-')) as Array<
      [string, Resource]
    >;

  describe('routes', () => {
    it('has exactly one API route per route of the route table', () => {
      expect(routes.map((r) => r.Properties?.RouteKey).sort()).toEqual(routeTable.map(routeKey).sort());
    });

    it('puts the JWT authorizer on every route whose audience is not public', () => {
      const authorizerId = Object.keys(resourcesOf(s.t.api, 'AWS::ApiGatewayV2::Authorizer'))[0];
      const guarded = routeTable.filter((r) => r.audience !== 'public');
      expect(guarded.length).toBeGreaterThan(0);
      for (const r of guarded) {
        const p = routeProps(routeKey(r));
        expect(`${routeKey(r)} ${p?.AuthorizationType}`).toBe(`${routeKey(r)} JWT`);
        expect(p?.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    });

    it('leaves only the public routes (GET /health, GET /health/ready, GET /openapi.json) without an authorizer', () => {
      const open = routes.filter((r) => r.Properties?.AuthorizationType !== 'JWT').map((r) => r.Properties?.RouteKey);
      expect(open).toEqual(routeTable.filter((r) => r.audience === 'public').map(routeKey));
      expect(open).toEqual(['GET /health', 'GET /health/ready', 'GET /openapi.json']);
      expect(routeProps('GET /health')?.AuthorizerId).toBeUndefined();
      expect(routeProps('GET /health/ready')?.AuthorizerId).toBeUndefined();
    });

    it('the authorizer trusts ID tokens of the web client from the user pool', () => {
      const authorizers = Object.values(resourcesOf(s.t.api, 'AWS::ApiGatewayV2::Authorizer'));
      expect(authorizers).toHaveLength(1);
      const p = authorizers[0]?.Properties as Json;
      expect(p.AuthorizerType).toBe('JWT');
      expect(p.IdentitySource).toEqual(['$request.header.Authorization']);
      const issuer = JSON.stringify(p.JwtConfiguration.Issuer);
      expect(issuer).toContain('https://cognito-idp.');
      expect(issuer).toContain('AWS::URLSuffix');
      expect(issuer).toContain('ExportsOutputRefUserPool');
      const audience = JSON.stringify(p.JwtConfiguration.Audience);
      expect(p.JwtConfiguration.Audience).toHaveLength(2);
      expect(audience).toContain('WebClient');
      expect(audience).toContain('CliClient');
    });

    it('sends each route to the function of its area', () => {
      const integrations = resourcesOf(s.t.api, 'AWS::ApiGatewayV2::Integration');
      for (const r of routeTable) {
        const target = routeProps(routeKey(r))?.Target as Json;
        const integrationId = JSON.stringify(target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
        const uri = JSON.stringify(integrations[integrationId]?.Properties?.IntegrationUri);
        const fnId = logicalIdOf(s.stacks.api.functions[r.area]?.fn as never, s.stacks.api);
        expect(`${routeKey(r)} → ${uri.includes(fnId)}`).toBe(`${routeKey(r)} → true`);
      }
    });
  });

  describe('functions', () => {
    it('deploys one function per area of the route table and one per job, scheduled or on demand', () => {
      expect(Object.keys(s.stacks.api.functions).sort()).toEqual([...areas].sort());
      expect(Object.keys(s.stacks.jobs.functions).sort()).toEqual([...jobs, ...onDemandJobs].map((j) => j.name).sort());
      expect(gridlineFunctions().length).toBe(areas.length + Object.keys(s.stacks.jobs.functions).length);
    });

    it('runs on a Lambda Node runtime of version 22 or later', () => {
      for (const [id, f] of gridlineFunctions()) {
        const runtime = String(f.Properties?.Runtime);
        const major = Number(runtime.match(/^nodejs(\d+)\.x$/)?.[1] ?? 0);
        expect(`${id} ${runtime} ${major >= 22}`).toBe(`${id} ${runtime} true`);
      }
    });

    it('runs on arm64', () => {
      for (const [id, f] of gridlineFunctions()) expect(`${id} ${JSON.stringify(f.Properties?.Architectures)}`).toBe(`${id} ["arm64"]`);
    });

    it('takes its code from the pre-built bundle (index.mjs, handler index.handler)', () => {
      for (const [id, f] of gridlineFunctions()) {
        expect(`${id} ${f.Properties?.Handler}`).toBe(`${id} index.handler`);
        expect(f.Properties?.Code.S3Key).toMatch(/\.zip$/);
      }
    });

    it('logs to its own log group, kept at least 180 days', () => {
      const groups = { ...resourcesOf(s.t.api, 'AWS::Logs::LogGroup'), ...resourcesOf(s.t.jobs, 'AWS::Logs::LogGroup') };
      for (const [id, f] of gridlineFunctions()) {
        const groupId = (f.Properties?.LoggingConfig as Json)?.LogGroup?.Ref;
        const days = groups[groupId]?.Properties?.RetentionInDays as number | undefined;
        expect(`${id} ${(days ?? 0) >= 180}`).toBe(`${id} true`);
      }
    });

    it('traces with X-Ray and configures Powertools through the environment', () => {
      for (const [id, f] of gridlineFunctions()) {
        expect(`${id} ${(f.Properties?.TracingConfig as Json)?.Mode}`).toBe(`${id} Active`);
        const env = f.Properties?.Environment.Variables;
        expect(env.POWERTOOLS_SERVICE_NAME).toMatch(/^gridline-/);
        expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('Gridline');
        expect(env.POWERTOOLS_LOG_LEVEL).toBe('INFO');
        expect(env.POWERTOOLS_LOGGER_LOG_EVENT).toBe('false');
      }
    });

    it('leaves detailed tracing off in every API function unless gridline:traceDetail turns it on', () => {
      const api = Object.entries(resourcesOf(s.t.api, 'AWS::Lambda::Function')).filter(([id]) => id.startsWith('Area'));
      expect(api.map(([id]) => id.replace(/^Area(\w+?)Function.*$/, '$1')).sort()).toEqual([...areas].sort());
      for (const [id, f] of api) expect(`${id} ${f.Properties?.Environment.Variables.GRIDLINE_TRACE_DETAIL}`).toBe(`${id} 0`);
    });

    it('gets the cursor secret as a dynamic reference, never as a value in the template', () => {
      for (const [id, f] of gridlineFunctions()) {
        const env = f.Properties?.Environment.Variables;
        // The public function reads the table (readiness) but makes no cursors, so it holds no secret.
        if (env.GRIDLINE_TABLE === undefined || id.startsWith('Areapublic')) {
          expect(`${id} ${env.GRIDLINE_CURSOR_SECRET}`).toBe(`${id} undefined`);
          continue;
        }
        const ref = JSON.stringify(env.GRIDLINE_CURSOR_SECRET);
        expect(`${id} ${ref}`).toMatch(
          /^\S+ \{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Fn::ImportValue":"Gridline-demo-Data:ExportsOutputRefCursorSecret\w+"\},":SecretString:::\}\}"\]\]\}$/,
        );
        expect(f.Properties?.KmsKeyArn).toBeDefined();
      }
    });

    it('gives the county function time for a synchronous rollup, within API Gateway’s 30 s; the others 10 s', () => {
      const timeout = (area: string) =>
        allFunctions()[logicalIdOf(s.stacks.api.functions[area]?.fn as never, s.stacks.api)]?.Properties?.Timeout as number;
      expect(timeout('county')).toBe(29);
      for (const area of areas.filter((a) => a !== 'county')) expect(`${area} ${timeout(area)}`).toBe(`${area} 10`);
    });

    it('the county function knows the user pool (accounts are created in Cognito)', () => {
      const id = logicalIdOf(s.stacks.api.functions.county?.fn as never, s.stacks.api);
      const env = allFunctions()[id]?.Properties?.Environment.Variables;
      expect(JSON.stringify(env.GRIDLINE_USER_POOL_ID)).toContain('UserPool');
    });
  });

  describe('the stage', () => {
    it('is throttled', () => {
      const stage = Object.values(resourcesOf(s.t.api, 'AWS::ApiGatewayV2::Stage'))[0]?.Properties as Json;
      expect(stage.StageName).toBe('$default');
      expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
      expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
    });

    it('writes an access log kept at least 180 days, with the request id and no request bodies', () => {
      const stage = Object.values(resourcesOf(s.t.api, 'AWS::ApiGatewayV2::Stage'))[0]?.Properties as Json;
      const groupId = stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
      expect(resourcesOf(s.t.api, 'AWS::Logs::LogGroup')[groupId]?.Properties?.RetentionInDays).toBeGreaterThanOrEqual(180);
      expect(stage.AccessLogSettings.Format).toContain('$context.requestId');
      expect(stage.AccessLogSettings.Format).not.toMatch(/sourceIp|requestBody|\$input/);
    });
  });
}
