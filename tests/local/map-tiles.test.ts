import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'gridline-tiles-up-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `npm start`'s runtime with a map tile setting; it must stop before starting anything. */
function up(mapTiles: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts', 'up'], {
    cwd: root,
    env: { ...process.env, GRIDLINE_LOCAL_DIR: dataDir, GRIDLINE_MAP_TILES: mapTiles },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('GRIDLINE_MAP_TILES at start-up (npm start)', () => {
  it.each([
    ['not JSON', 'https://tiles.example.org/{z}/{x}/{y}.png', /GRIDLINE_MAP_TILES is not valid JSON/],
    [
      'without a coordinate system',
      JSON.stringify({ url: 'https://tiles.example.org/{z}/{x}/{y}.png', attribution: '© x' }),
      /GRIDLINE_MAP_TILES is not a valid map tile setting[\s\S]*coordinateSystem/,
    ],
  ])('refuses a setting %s, saying why, before the database starts', (_name, value, message) => {
    const run = up(value);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Gridline could not start/);
    expect(run.stderr).toMatch(message);
    // Nothing was started or written: the data folder is as empty as it was.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
