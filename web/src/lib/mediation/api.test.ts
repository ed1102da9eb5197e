import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingServer } from '../testing/recording-server';
import { mediation } from './api';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the mediation API module sends each call to its route', () => {
  it('intake, the list with its query, a case, an action, the figures and the settings', async () => {
    const seen = recordingServer();
    const intake = {
      caseId: 'C1',
      parties: [{ name: '甲' }, { name: '乙' }],
      type: 'neighbour' as const,
      gridId: 'g1',
      summary: 's',
      risk: { level: 'low' as const },
      foundBy: { how: 'walk_in' as const },
      level: 'courtyard' as const,
    };
    await mediation.takeIn(intake);
    await mediation.list({ view: 'open', level: 'town', limit: 25, cursor: 'k' });
    await mediation.list({ view: 'invited' });
    await mediation.get('C/1');
    await mediation.act('C1', { action: 'note', version: 2, text: 't' });
    await mediation.summary();
    await mediation.settings();
    await mediation.saveSettings({ version: 3, followUpDays: [30, 90], types: ['neighbour'] });
    expect(seen).toEqual([
      { method: 'POST', path: '/town/mediation/cases', body: intake },
      { method: 'GET', path: '/town/mediation/cases?view=open&level=town&limit=25&cursor=k', body: undefined },
      { method: 'GET', path: '/town/mediation/cases?view=invited', body: undefined },
      { method: 'GET', path: '/town/mediation/cases/C%2F1', body: undefined },
      { method: 'POST', path: '/town/mediation/cases/C1/actions', body: { action: 'note', version: 2, text: 't' } },
      { method: 'GET', path: '/town/mediation/summary', body: undefined },
      { method: 'GET', path: '/town/mediation/settings', body: undefined },
      { method: 'PUT', path: '/town/mediation/settings', body: { version: 3, followUpDays: [30, 90], types: ['neighbour'] } },
    ]);
  });

  it('sends every write with an idempotency key', async () => {
    const keys: Array<string | undefined> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        if (url === '/config.json') return new Response(JSON.stringify({ mode: 'local', apiBase: '/api', authBase: '/auth' }));
        keys.push((init.headers as Record<string, string>)['idempotency-key']);
        return new Response('{}');
      }),
    );
    await mediation.act('C1', { action: 'note', version: 1, text: 't' });
    await mediation.get('C1');
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBeUndefined();
  });
});
