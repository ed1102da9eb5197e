import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';
import { cdkContext, type Json, resolveValue, resourcesOf, SYNTH_TIMEOUT, type Synthesized, synthGridline } from './support';

/**
 * The optional map tiles (`gridline:mapTiles`): their origins join the CSP's img-src and the setting
 * reaches the web app in config.json. Without the setting, web.test.ts checks img-src stays as it was.
 */
const TILES = {
  url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
  subdomains: ['1', '2', '3', '4'],
  coordinateSystem: 'gcj02',
  attribution: '© 高德地图',
};
const ORIGINS = [
  'https://webrd01.is.autonavi.com',
  'https://webrd02.is.autonavi.com',
  'https://webrd03.is.autonavi.com',
  'https://webrd04.is.autonavi.com',
];

let s: Synthesized;
beforeAll(() => {
  s = synthGridline({ context: { 'gridline:mapTiles': TILES } });
}, SYNTH_TIMEOUT);

/** The CSP of every response headers policy of the web stack, as directives. */
function cspDirectives(): string[][] {
  return Object.values(resourcesOf(s.t.web, 'AWS::CloudFront::ResponseHeadersPolicy')).map((p) =>
    resolveValue((p.Properties as Json).ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy)
      .split(';')
      .map((d) => d.trim()),
  );
}

describe('with gridline:mapTiles set', () => {
  it('admits exactly the tile hosts in img-src, on the site and the API alike, and nowhere else', () => {
    const policies = cspDirectives();
    expect(policies).toHaveLength(2);
    for (const directives of policies) {
      expect(directives.filter((d) => d.startsWith('img-src '))).toEqual([`img-src 'self' data: blob: ${ORIGINS.join(' ')}`]);
      // Tiles are images: no other directive names them.
      for (const d of directives.filter((x) => !x.startsWith('img-src '))) expect(d).not.toContain('autonavi');
    }
  });

  it('publishes the checked setting, max zoom filled in, in config.json', () => {
    const found = Object.entries(s.t.web.findResources('Custom::CDKBucketDeployment')).find(([k]) => k.startsWith('DeployConfig'));
    if (!found) throw new Error('no DeployConfig');
    const key = String((found[1].Properties as Json).SourceObjectKeys[0]).replace(/\.zip$/, '');
    const staged = JSON.parse(readFileSync(join(s.app.outdir, `asset.${key}`, 'config.json'), 'utf8'));
    expect(staged.mapTiles).toEqual({ ...TILES, maxZoom: 18 });
    expect(staged.mode).toBe('cognito');
  });
});

describe('reading gridline:mapTiles', () => {
  const read = (value: unknown) => readConfig(new App({ context: cdkContext({ 'gridline:mapTiles': value }) }).node).mapTiles;

  it('takes the JSON text that -c gives as well as an object from cdk.json', () => {
    expect(read(JSON.stringify({ ...TILES, maxZoom: 17 }))).toEqual({ ...TILES, maxZoom: 17 });
  });

  it('is unset when absent or empty', () => {
    expect(readConfig(new App({ context: cdkContext() }).node).mapTiles).toBeUndefined();
    expect(read('')).toBeUndefined();
  });

  it.each([
    ['plain http to a public host', { ...TILES, url: 'http://tiles.example.org/{z}/{x}/{y}.png', subdomains: undefined }, /https/],
    ['a template without {x}', { ...TILES, url: 'https://webrd0{s}.is.autonavi.com/t?y={y}&z={z}' }, /\{x\} exactly once/],
    ['an unknown coordinate system', { ...TILES, coordinateSystem: 'bd09' }, /coordinateSystem/],
    ['text that is not JSON', '{"url": https://', /not valid JSON/],
  ])('stops synthesis on %s, naming the key', (_name, value, message) => {
    expect(() => synthGridline({ context: { 'gridline:mapTiles': value } })).toThrow(/^context gridline:mapTiles /);
    expect(() => synthGridline({ context: { 'gridline:mapTiles': value } })).toThrow(message);
  });
});
