import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { town } from './api';
import { recordingServer } from '../testing/recording-server';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the town API module sends each action to its route', () => {
  it("town: the overview's reads and the town's own reconcile", async () => {
    const seen = recordingServer();
    await Promise.all([town.me(), town.counters(), town.hierarchy(), town.config()]);
    await town.staff(25, 'next');
    await town.reconcile(false);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /town/me',
      'GET /town/summary',
      'GET /town/hierarchy',
      'GET /town/config',
      'GET /town/staff?limit=25&cursor=next',
      'POST /town/reconcile',
    ]);
    expect(seen.at(-1)?.body).toEqual({ fix: false });
  });
});
