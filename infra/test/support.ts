import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { areaEntries } from '@gridline/functions/manifest';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createGridlineApp } from '../src/app';
import type { GridlineStacks } from '../src/gridline';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The context the CLI would pass: cdk.json's, plus overrides. */
export function cdkContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return { ...cdkJson.context, ...overrides };
}

/**
 * Stand-in bundles, one `<area>/index.mjs` per area of the manifest. The infrastructure tests assert
 * properties of the templates, which do not depend on the code inside the asset; the nag test builds
 * the app from the real esbuild bundles.
 */
export function stubBundles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridline-bundles-'));
  for (const area of Object.keys(areaEntries)) {
    mkdirSync(join(dir, area), { recursive: true });
    writeFileSync(join(dir, area, 'index.mjs'), `export const handler = async () => ({ area: '${area}' });\n`);
  }
  return dir;
}

/** A stand-in web build (the tests must not depend on whether web/ was built). */
export function stubWebBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridline-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Gridline</title>');
  return dir;
}

export type Synthesized = {
  app: App;
  stacks: GridlineStacks;
  /** Templates by stack key (data, identity, web, api, jobs, observability). */
  t: Record<keyof GridlineStacks, Template>;
  /** The raw template JSON by stack key. */
  json: Record<keyof GridlineStacks, Record<string, unknown>>;
};

/**
 * Time allowed for one synthesis in a `beforeAll`: about 3 s alone, but the four test files synthesise
 * in parallel on a shared machine, where vitest's default hook timeout (10 s) is too tight.
 */
export const SYNTH_TIMEOUT = 60_000;

/** Builds and synthesises the whole app once (about 3 s); tests share the result. */
export function synthGridline(opts: { context?: Record<string, unknown>; bundleDir?: string; nag?: boolean } = {}): Synthesized {
  const { app, stacks } = createGridlineApp({
    context: cdkContext(opts.context),
    outdir: mkdtempSync(join(tmpdir(), 'gridline-cdk-out-')),
    bundleDir: opts.bundleDir ?? stubBundles(),
    webBuildDir: stubWebBuild(),
    root: ROOT,
    nag: opts.nag ?? false,
  });
  const assembly = app.synth();
  const json = {} as Synthesized['json'];
  const t = {} as Synthesized['t'];
  for (const [key, stack] of Object.entries(stacks) as Array<[keyof GridlineStacks, { stackName: string }]>) {
    json[key] = assembly.getStackByName(stack.stackName).template as Record<string, unknown>;
    t[key] = Template.fromJSON(json[key]);
  }
  return { app, stacks, t, json };
}

export type Resource = { Type: string; Properties?: Json; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** Resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(construct: { node: { defaultChild?: unknown } }, stack: { resolve(x: unknown): unknown }): string {
  const child = construct.node.defaultChild as { logicalId: string } | undefined;
  if (!child) throw new Error('construct has no default child');
  return stack.resolve(child.logicalId) as string;
}

type PolicyDoc = { Statement: Array<Record<string, unknown>> };

/** Every statement that applies to a role: its inline policies and the managed policies of the same template. */
export function statementsOfRole(template: Template, roleLogicalId: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const isRef = (x: unknown, id: string) => (x as { Ref?: string })?.Ref === id;
  for (const p of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    const roles = (p.Properties?.Roles as unknown[]) ?? [];
    if (roles.some((r) => isRef(r, roleLogicalId))) out.push(...((p.Properties?.PolicyDocument as PolicyDoc | undefined)?.Statement ?? []));
  }
  const role = resourcesOf(template, 'AWS::IAM::Role')[roleLogicalId];
  if (!role) throw new Error(`no role ${roleLogicalId}`);
  const managed = resourcesOf(template, 'AWS::IAM::ManagedPolicy');
  for (const arn of (role.Properties?.ManagedPolicyArns as unknown[]) ?? []) {
    const id = (arn as { Ref?: string }).Ref;
    const m = id ? managed[id] : undefined;
    if (m) out.push(...((m.Properties?.PolicyDocument as PolicyDoc | undefined)?.Statement ?? []));
  }
  return out;
}

/** The actions of a statement as a list. */
export const actionsOf = (s: Record<string, unknown>): string[] => [s.Action as string | string[]].flat();

/** Every IAM statement anywhere in a template (policies, roles, resource policies), found by shape. */
export function allStatements(template: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) for (const v of x) walk(v);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if ((o.Effect === 'Allow' || o.Effect === 'Deny') && 'Action' in o) out.push(o);
      else for (const v of Object.values(o)) walk(v);
    }
  };
  walk(template);
  return out;
}

/**
 * Every permission statement of a template's IAM resources (policies, managed policies, inline role
 * policies), with the logical id of the resource that holds it; trust policies and resource policies
 * (key, bucket, table) are left out.
 */
export function iamStatements(template: Template): Array<{ holder: string; st: Record<string, unknown> }> {
  const out: Array<{ holder: string; st: Record<string, unknown> }> = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role'])
    for (const [holder, r] of Object.entries(resourcesOf(template, type))) {
      const docs = type === 'AWS::IAM::Role' ? ((r.Properties?.Policies as Json[]) ?? []) : [r.Properties];
      for (const d of docs) for (const st of allStatements(d?.PolicyDocument)) out.push({ holder, st });
    }
  return out;
}

/**
 * Template JSON explored by path in assertions. The one loose type of the infra tests: CloudFormation
 * properties are checked against expected values, so a static type would only repeat the assertion.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

/** Values of the pseudo parameters when a test resolves a template value (one account, the context's region). */
export const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': '111122223333',
  'AWS::Region': 'ap-southeast-1',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * A template value as the string CloudFormation would make of it: `Fn::Join` joined, `Fn::Sub` and
 * pseudo parameters replaced by PSEUDO. Anything resolved only at deploy time (a resource's Ref or attribute, an import)
 * becomes a readable placeholder such as `<Ref:Table>` or `<Import:…>`, which matches no real name.
 */
export function resolveValue(x: unknown): string {
  if (typeof x === 'string') return x;
  const o = (x ?? {}) as Record<string, unknown>;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveValue).join(sep);
  }
  if ('Fn::Sub' in o && typeof o['Fn::Sub'] === 'string')
    return o['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_m, name: string) => PSEUDO[name] ?? `<Ref:${name}>`);
  if ('Ref' in o) return PSEUDO[o.Ref as string] ?? `<Ref:${String(o.Ref)}>`;
  if ('Fn::GetAtt' in o) return `<GetAtt:${([o['Fn::GetAtt']].flat() as string[]).join('.')}>`;
  if ('Fn::ImportValue' in o) return `<Import:${resolveValue(o['Fn::ImportValue'])}>`;
  throw new Error(`resolveValue: cannot resolve ${JSON.stringify(x)}`);
}
