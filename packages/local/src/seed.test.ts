import { boundarySchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { DEMO_TOWNS, demoBoundaries } from './seed';

describe('demo grid boundaries', () => {
  const drawnTowns = DEMO_TOWNS.filter((t) => t.map);

  it('draws a valid closed polygon for each listed grid of a town that has one, and none for 青石镇', () => {
    expect(DEMO_TOWNS.find((t) => t.townId === 'qingshi')?.map).toBeUndefined();
    expect(drawnTowns.map((t) => t.townId)).toEqual(['taoyuan', 'baisha']);
    for (const t of drawnTowns) {
      const map = t.map as NonNullable<typeof t.map>;
      const known = t.communities.flatMap((c) => c.grids.map((g) => g.id));
      const drawn = demoBoundaries(map);
      expect([...drawn.keys()]).toEqual(map.grids);
      for (const [gridId, b] of drawn) {
        expect(known).toContain(gridId);
        expect(boundarySchema.safeParse(b).success).toBe(true);
        const ring = b.type === 'Polygon' ? b.coordinates[0] : [];
        expect(ring?.at(0)).toEqual(ring?.at(-1));
      }
    }
  });

  it('makes neighbours share their side edge exactly and keeps every grid within about a kilometre of the origin', () => {
    for (const t of drawnTowns) {
      const map = t.map as NonNullable<typeof t.map>;
      const rings = [...demoBoundaries(map).values()].map((b) => (b.type === 'Polygon' ? (b.coordinates[0] ?? []) : []));
      for (let i = 1; i < rings.length; i++) {
        const [west, east] = [rings[i - 1] ?? [], rings[i] ?? []];
        // West grid: sw, s, se, ne, n, nw, sw. Its east side (se → ne) is the next grid's west side (sw … nw).
        expect([east[0], east[5]]).toEqual([west[2], west[3]]);
      }
      for (const [lon, lat] of rings.flat()) {
        expect(Math.abs(lon - map.origin[0])).toBeLessThan(0.02);
        expect(Math.abs(lat - map.origin[1])).toBeLessThan(0.01);
      }
    }
  });
});
