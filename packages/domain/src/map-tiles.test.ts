import { describe, expect, it } from 'vitest';
import { type MapTiles, mapTileOrigins, parseMapTiles } from './map-tiles';

const OSM = { url: 'https://tile.example.org/{z}/{x}/{y}.png', coordinateSystem: 'wgs84', attribution: '© OpenStreetMap contributors' };
const AUTONAVI = {
  url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
  subdomains: ['1', '2', '3', '4'],
  coordinateSystem: 'gcj02',
  attribution: '© 高德地图',
  maxZoom: 18,
};

describe('parseMapTiles', () => {
  it('means "no tiles" when unset or empty', () => {
    for (const v of [undefined, null, '']) expect(parseMapTiles(v, 'X')).toBeUndefined();
  });

  it('reads an object or its JSON text, filling in the default max zoom', () => {
    expect(parseMapTiles(OSM, 'X')).toEqual({ ...OSM, maxZoom: 18 });
    expect(parseMapTiles(JSON.stringify({ ...OSM, maxZoom: 16 }), 'X')).toEqual({ ...OSM, maxZoom: 16 });
    expect(parseMapTiles(AUTONAVI, 'X')).toEqual(AUTONAVI);
  });

  it('takes plain http only for a loopback host (a tile server on this machine)', () => {
    expect(parseMapTiles({ ...OSM, url: 'http://127.0.0.1:8123/{z}/{x}/{y}.png' }, 'X')?.url).toContain('127.0.0.1');
    expect(() => parseMapTiles({ ...OSM, url: 'http://tile.example.org/{z}/{x}/{y}.png' }, 'X')).toThrow(/https/);
  });

  it.each([
    ['not JSON', '{url:', /X is not valid JSON/],
    ['a template without {y}', { ...OSM, url: 'https://t.example.org/{z}/{x}.png' }, /\{y\} exactly once/],
    ['an unknown placeholder', { ...OSM, url: 'https://t.example.org/{z}/{x}/{-y}.png' }, /unknown placeholder \{-y\}/],
    ['{s} without subdomains', { ...OSM, url: 'https://{s}.t.example.org/{z}/{x}/{y}.png' }, /give "subdomains"/],
    ['subdomains without {s}', { ...OSM, subdomains: ['a'] }, /no \{s\}/],
    ['{z} in the host', { ...OSM, url: 'https://{z}.t.example.org/{x}/{y}.png' }, /not the host/],
    ['a relative URL', { ...OSM, url: '/tiles/{z}/{x}/{y}.png' }, /absolute/],
    ['credentials', { ...OSM, url: 'https://me:pw@t.example.org/{z}/{x}/{y}.png' }, /password/],
    ['another scheme', { ...OSM, url: 'ftp://t.example.org/{z}/{x}/{y}.png' }, /https/],
    ['an odd subdomain', { ...AUTONAVI, subdomains: ['a b'] }, /subdomain/],
    ['a CSP-breaking host', { ...OSM, url: "https://t.example.org;script-src 'unsafe-eval'/{z}/{x}/{y}" }, /not a URL/],
    ['an unknown coordinate system', { ...OSM, coordinateSystem: 'bd09' }, /coordinateSystem/],
    ['no attribution', { ...OSM, attribution: '  ' }, /attribution/],
    ['a max zoom out of range', { ...OSM, maxZoom: 30 }, /maxZoom/],
    ['an unknown key', { ...OSM, apiKey: 'x' }, /apiKey/],
  ])('refuses %s with a message naming the setting', (_name, value, message) => {
    expect(() => parseMapTiles(value, 'X')).toThrow(message);
    expect(() => parseMapTiles(value, 'context gridline:mapTiles')).toThrow(/^context gridline:mapTiles /);
  });
});

describe('mapTileOrigins', () => {
  const parsed = (v: unknown): MapTiles => {
    const t = parseMapTiles(v, 'X');
    if (!t) throw new Error('no setting');
    return t;
  };

  it('is the one origin of a template without {s}, port included', () => {
    expect(mapTileOrigins(parsed({ ...OSM, url: 'http://localhost:8123/t/{z}/{x}/{y}.png' }))).toEqual(['http://localhost:8123']);
  });

  it('is one origin per subdomain', () => {
    expect(mapTileOrigins(parsed(AUTONAVI))).toEqual([
      'https://webrd01.is.autonavi.com',
      'https://webrd02.is.autonavi.com',
      'https://webrd03.is.autonavi.com',
      'https://webrd04.is.autonavi.com',
    ]);
  });
});
