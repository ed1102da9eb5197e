import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { team } from './api';
import { recordingServer } from '../testing/recording-server';

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('the team API module sends each action to its route', () => {
  it('list, record, each step, coverage and the responsible coordinator', async () => {
    const seen = recordingServer();
    const on = '2026-12-01';
    await team.list({ cursor: 'n' });
    await team.get('p 1');
    await team.recommend({ name: '王芳', communityId: 'c1', recommendedBy: '居民代表会议', on, votes: 31, method: 'votes' });
    await team.inspect('p1', { inspector: '张', on, findings: '合格', passed: true });
    await team.train('p1', { on, courses: ['政策'], hours: 16, examPassed: true });
    await team.appoint('p1', { on, gridIds: ['g1'], postIds: ['mediator'], documentNo: '镇发〔2026〕1号' });
    await team.transfer('p1', { on, gridIds: ['g2'], postIds: ['mediator'], reason: '调整' });
    await team.leave('p1', { on, reason: '辞职' });
    await team.dismiss('p1', { on, reason: '违纪' });
    await team.override('p1', { step: 'inspect', reason: '补录' });
    await team.coverage('c1');
    await team.nameResponsible('g1', 'p1');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /town/team?limit=100&cursor=n',
      'GET /town/team/p%201',
      'POST /town/team',
      'POST /town/team/p1/inspect',
      'POST /town/team/p1/train',
      'POST /town/team/p1/appoint',
      'POST /town/team/p1/transfer',
      'POST /town/team/p1/leave',
      'POST /town/team/p1/dismiss',
      'POST /town/team/p1/override',
      'GET /town/communities/c1/coverage',
      'PUT /town/grids/g1/responsible',
    ]);
    expect(seen.at(-1)?.body).toEqual({ coordinatorId: 'p1' });
  });

  it('reveal, phone correction and who to call (issue 12 items 1 and 6)', async () => {
    const seen = recordingServer();
    await team.reveal('p 1', 'phone', '联系本人核实');
    await team.changePhone('p1', '13957001234', 3);
    await team.contacts('c 1');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /town/team/p%201/reveal',
      'PUT /town/team/p1/phone',
      'GET /town/communities/c%201/contacts',
    ]);
    expect(seen.map((s) => s.body)).toEqual([{ field: 'phone', reason: '联系本人核实' }, { phone: '13957001234', version: 3 }, undefined]);
  });
});
