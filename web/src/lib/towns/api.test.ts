import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TownSpec } from '@gridline/domain';
import { towns } from './api';
import { recordingServer } from '../testing/recording-server';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the towns API module sends each action to its route', () => {
  it('towns: provisioning tells a new town (201) from one already there (200); ids are escaped in the path', async () => {
    let seen = recordingServer(201);
    const spec: TownSpec = { name: '青石镇', kind: 'town', admin: { username: 'wang', displayName: '王' } };
    expect((await towns.provision('qing shi', spec)).created).toBe(true);
    expect(seen[0]).toEqual({ method: 'PUT', path: '/admin/towns/qing%20shi', body: spec });
    seen = recordingServer(200);
    expect((await towns.provision('qingshi', spec)).created).toBe(false);
    await towns.setStatus('qingshi', 'suspend');
    await towns.reconcile('qingshi', true);
    await towns.list(20);
    expect(seen.slice(1)).toEqual([
      { method: 'POST', path: '/admin/towns/qingshi/suspend', body: undefined },
      { method: 'POST', path: '/admin/towns/qingshi/reconcile', body: { fix: true } },
      { method: 'GET', path: '/admin/towns?limit=20', body: undefined },
    ]);
  });
});
