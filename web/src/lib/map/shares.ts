import type { MapCounts } from '@gridline/domain';

/**
 * What the map is coloured by: the share of special-group or of floating population, or the share of a
 * grid's households overdue for a visit (issue 14).
 */
export type ShareBy = 'special' | 'floating' | 'overdue';
export const SHARE_BYS: readonly ShareBy[] = ['special', 'floating', 'overdue'];

/** Visit counts, which grids carry and courtyards do not. */
type VisitCounts = { visitHouseholds?: number; visitOverdue?: number };

/**
 * Share of people in the group, or of households overdue for a visit; null where nobody lives or no
 * household is counted (drawn as “no people” / “no households”).
 */
export function shareOf(c: MapCounts & VisitCounts, by: ShareBy): number | null {
  if (by === 'overdue') {
    if (!c.visitHouseholds) return null;
    return Math.min(1, (c.visitOverdue ?? 0) / c.visitHouseholds);
  }
  if (!c.people) return null;
  return (by === 'special' ? c.special : c.floating) / c.people;
}

/** Upper bounds of the colour classes; the last class is everything from 35 % up. */
const BOUNDS = [0.05, 0.1, 0.2, 0.35] as const;

/** Colours per class, light to dark: warm for special groups, blue for floating population. */
const PALETTE: Record<ShareBy, readonly string[]> = {
  special: ['#fdf3e1', '#fbd99c', '#f4ac55', '#dc7326', '#a8431a'],
  floating: ['#eaf2fa', '#bcd6ee', '#7fb0dc', '#3d7dbd', '#0f4c81'],
  overdue: ['#fbeaea', '#f4c0bd', '#e88a84', '#cc4b45', '#8f1f1b'],
};
export const NO_PEOPLE = '#eef1f4';

export type ShareClass = { index: number; color: string; ink: string; from: number; to: number | null };

export function classes(by: ShareBy): ShareClass[] {
  const froms = [0, ...BOUNDS];
  return froms.map((from, index) => ({
    index,
    color: PALETTE[by][index] ?? NO_PEOPLE,
    ink: index >= 3 ? '#ffffff' : '#1d2733',
    from,
    to: BOUNDS[index] ?? null,
  }));
}

export function classOf(share: number | null, by: ShareBy): ShareClass | null {
  if (share === null) return null;
  const all = classes(by);
  return all.find((c) => c.to === null || share < c.to) ?? all[all.length - 1] ?? null;
}

export const colourOf = (share: number | null, by: ShareBy) => classOf(share, by)?.color ?? NO_PEOPLE;
export const inkOf = (share: number | null, by: ShareBy) => classOf(share, by)?.ink ?? '#5b6775';

/** A share as a whole percentage for labels, e.g. “12%”; a dash where nobody lives. */
export const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

export type Rect = { x: number; y: number; w: number; h: number };

/**
 * A squarified treemap: rectangles with areas proportional to `weights`, laid out in a `width` ×
 * `height` box, as close to square as the algorithm of Bruls, Huizing and van Wijk gets them.
 * The result is in input order; zero or negative weights get no area.
 */
export function treemap(weights: number[], width: number, height: number): Rect[] {
  const out: Rect[] = weights.map(() => ({ x: 0, y: 0, w: 0, h: 0 }));
  const total = weights.reduce((s, v) => s + Math.max(v, 0), 0);
  if (total <= 0) return out;
  const scale = (width * height) / total;
  const items = weights
    .map((v, i) => ({ i, area: Math.max(v, 0) * scale }))
    .filter((x) => x.area > 0)
    .sort((a, b) => b.area - a.area);
  let box = { x: 0, y: 0, w: width, h: height };

  const worst = (row: typeof items, side: number) => {
    const sum = row.reduce((s, r) => s + r.area, 0);
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    for (const r of row) {
      max = Math.max(max, r.area);
      min = Math.min(min, r.area);
    }
    return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
  };

  const place = (row: typeof items) => {
    const sum = row.reduce((s, r) => s + r.area, 0);
    if (box.w >= box.h) {
      // A column on the left, as tall as the box.
      const cw = sum / box.h;
      let y = box.y;
      for (const r of row) {
        const h = r.area / cw;
        out[r.i] = { x: box.x, y, w: cw, h };
        y += h;
      }
      box = { x: box.x + cw, y: box.y, w: box.w - cw, h: box.h };
    } else {
      // A row on top, as wide as the box.
      const rh = sum / box.w;
      let x = box.x;
      for (const r of row) {
        const w = r.area / rh;
        out[r.i] = { x, y: box.y, w, h: rh };
        x += w;
      }
      box = { x: box.x, y: box.y + rh, w: box.w, h: box.h - rh };
    }
  };

  let row: typeof items = [];
  for (const item of items) {
    const side = Math.min(box.w, box.h);
    if (row.length === 0 || worst([...row, item], side) <= worst(row, side)) {
      row.push(item);
    } else {
      place(row);
      row = [item];
    }
  }
  if (row.length) place(row);
  return out;
}

/**
 * Block weights for a grid's courtyards: households, with a floor so that a courtyard with few or
 * none still gets a block big enough to see and tap.
 */
export function blockWeights(households: number[]): number[] {
  const total = households.reduce((s, n) => s + Math.max(n, 0), 0);
  if (total === 0) return households.map(() => 1);
  const floor = Math.max(total * Math.min(0.08, 0.5 / households.length), 1e-9);
  return households.map((n) => Math.max(n, floor));
}
