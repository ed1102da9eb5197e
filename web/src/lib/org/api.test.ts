import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { orgApi } from './api';
import { recordingServer } from '../testing/recording-server';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the org API module sends each action to its route', () => {
  it('org: a grid moves to a community, a courtyard to a grid; a rename sends a code only when there is one', async () => {
    const seen = recordingServer();
    await orgApi.move({ kind: 'grid', id: 'g1', version: 3 }, 'c2');
    await orgApi.move({ kind: 'courtyard', id: 'y1', version: 1 }, 'g2');
    await orgApi.rename({ kind: 'grid', id: 'g1', version: 4 }, '二网格', 'G02');
    await orgApi.rename({ kind: 'community', id: 'c1', version: 2 }, '东风', '');
    await orgApi.retire({ kind: 'courtyard', id: 'y1', version: 2 });
    await orgApi.setCoordinator('g1', 5, 'li');
    await orgApi.history('grid', 'g1');
    expect(seen).toEqual([
      { method: 'POST', path: '/town/grids/g1/move', body: { version: 3, communityId: 'c2' } },
      { method: 'POST', path: '/town/courtyards/y1/move', body: { version: 1, gridId: 'g2' } },
      { method: 'PATCH', path: '/town/grids/g1', body: { version: 4, name: '二网格', code: 'G02' } },
      { method: 'PATCH', path: '/town/communities/c1', body: { version: 2, name: '东风' } },
      { method: 'POST', path: '/town/courtyards/y1/retire', body: { version: 2 } },
      { method: 'PUT', path: '/town/grids/g1/coordinator', body: { version: 5, username: 'li' } },
      { method: 'GET', path: '/town/org/grid/g1/history?limit=50', body: undefined },
    ]);
  });
});
