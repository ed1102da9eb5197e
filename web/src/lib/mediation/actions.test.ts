import { mediationActionSchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { actionBody, actionProblems, afterConflict, attendeesOf, emptyActionForm, followUpSteps, formsFor, levelAbove } from './actions';
import type { MediationCaseView, MediationDetail } from './types';

const TODAY = '2026-03-05';
const form = (over: Partial<ReturnType<typeof emptyActionForm>> = {}) => ({ ...emptyActionForm(TODAY), ...over });

describe('the forms of a case’s page', () => {
  it('offers only what the answer allows, the outcome as an agreement or a failure', () => {
    expect(formsFor({ actions: ['escalate', 'session', 'note', 'outcome', 'invite'], asParticipant: false })).toEqual([
      'session',
      'note',
      'agree',
      'fail',
      'escalate',
      'invite',
    ]);
    expect(formsFor({ actions: ['follow_up', 'note'], asParticipant: false })).toEqual(['note', 'follow_up']);
    expect(formsFor({ actions: [], asParticipant: false })).toEqual([]);
  });

  it('gives an invited participant sessions and notes only, whatever else the answer says', () => {
    expect(formsFor({ actions: ['session', 'note', 'outcome', 'invite'], asParticipant: true })).toEqual(['session', 'note']);
  });

  it('reads attendees one to a line or split by 、 and commas, each once', () => {
    expect(attendeesOf('张三\n李四、王五，张三; 赵  六\n\n')).toEqual(['张三', '李四', '王五', '赵 六']);
  });

  it('checks a session: a real day, a place, someone there, notes', () => {
    expect(Object.keys(actionProblems('session', form({ on: '' }), TODAY))).toEqual(['on', 'place', 'attendees', 'notes']);
    const ok = form({ place: '社区调解室', attendees: '张三、李四', notes: '双方陈述' });
    expect(actionProblems('session', ok, TODAY)).toEqual({});
    const body = actionBody('session', ok, 4);
    expect(body).toEqual({ action: 'session', version: 4, on: TODAY, place: '社区调解室', attendees: ['张三', '李四'], notes: '双方陈述' });
    expect(mediationActionSchema.safeParse(body).success).toBe(true);
  });

  it('checks an agreement: facts, at least one term, signed today or before', () => {
    expect(actionProblems('agree', form({ terms: ['', ' '] }), TODAY)).toEqual({
      facts: { key: 'validation.required' },
      terms: { key: 'med.act.termRequired' },
    });
    expect(actionProblems('agree', form({ facts: 'x', terms: ['a'], signedOn: '2026-03-06' }), TODAY)).toEqual({
      signedOn: { key: 'med.act.signedInFuture' },
    });
    const body = actionBody('agree', form({ facts: ' 漏水 ', terms: [' 赔偿五百元 ', '', '三日内维修'] }), 2);
    expect(body).toEqual({
      action: 'agree',
      version: 2,
      agreement: { facts: '漏水', terms: ['赔偿五百元', '三日内维修'], signedOn: TODAY },
    });
    expect(mediationActionSchema.safeParse(body).success).toBe(true);
  });

  it('checks a failure, an escalation, a note and a follow-up, and builds bodies the schema takes', () => {
    expect(actionProblems('fail', form({ reason: '不' }), TODAY)).toEqual({
      referral: { key: 'validation.required' },
      reason: { key: 'med.tooShort', params: { min: 2 } },
    });
    const bodies = [
      actionBody('fail', form({ referral: 'litigation', reason: '一方拒绝调解' }), 3),
      actionBody('escalate', form({ reason: '院落调解未果' }), 3),
      actionBody('note', form({ text: '法官意见：建议赔偿' }), 3),
      actionBody('follow_up', form({ holds: 'broken', note: '未按期付款' }), 3),
    ];
    expect(bodies[3]).toEqual({ action: 'follow_up', version: 3, holds: false, note: '未按期付款' });
    for (const b of bodies) expect(mediationActionSchema.safeParse(b).success).toBe(true);
    expect(actionProblems('follow_up', form(), TODAY)).toEqual({
      holds: { key: 'validation.required' },
      note: { key: 'validation.required' },
    });
  });

  it('checks an invitation: a role, a name, a day not yet past, a username if any', () => {
    expect(actionProblems('invite', form({ until: '2026-03-04', username: 'No Way' }), TODAY)).toEqual({
      role: { key: 'validation.required' },
      name: { key: 'validation.required' },
      until: { key: 'med.act.untilPast' },
      username: { key: 'validation.username' },
    });
    const ok = form({ role: 'judge', name: '陈法官', until: TODAY });
    expect(actionProblems('invite', ok, TODAY)).toEqual({});
    expect(actionBody('invite', ok, 1)).toEqual({ action: 'invite', version: 1, role: 'judge', name: '陈法官', until: TODAY });
    const withUser = actionBody('invite', { ...ok, username: ' chen.judge ' }, 1);
    expect(withUser).toMatchObject({ username: 'chen.judge' });
    expect(mediationActionSchema.safeParse(withUser).success).toBe(true);
  });

  it('climbs one level, none from the town', () => {
    expect([levelAbove('courtyard'), levelAbove('community'), levelAbove('town')]).toEqual(['community', 'town', undefined]);
  });
});

const kase = (over: Partial<MediationCaseView> = {}): MediationCaseView =>
  ({ caseId: 'C1', version: 3, status: 'agreed', level: 'community', followUps: [], ...over }) as MediationCaseView;

describe('follow-ups and conflicts', () => {
  it('lists the follow-ups done, the next one (due or not yet), and those after', () => {
    const agreement = {
      facts: '',
      terms: [],
      signedOn: '2026-01-01',
      level: 'community' as const,
      followUpDue: ['2026-01-31', '2026-04-01'],
      by: 'm',
      at: '',
    };
    const done = { holds: true, note: 'ok', due: '2026-01-31', by: 'm', at: '2026-02-01T00:00:00Z' };
    expect(followUpSteps({ agreement, followUps: [] }, TODAY)).toEqual([
      { due: '2026-01-31', next: true, overdue: true },
      { due: '2026-04-01', next: false, overdue: false },
    ]);
    expect(followUpSteps({ agreement, followUps: [done] }, TODAY)).toEqual([
      { due: '2026-01-31', done, next: false, overdue: false },
      { due: '2026-04-01', next: true, overdue: false },
    ]);
    expect(followUpSteps({ followUps: [] }, TODAY)).toEqual([]);
  });

  it('after a conflict shows the page the server sent, or the case as it stands on the page read (to be read again)', () => {
    const before = {
      case: kase(),
      events: [],
      invitations: [],
      partyNames: [],
      actions: ['note'],
      asParticipant: false,
    } as MediationDetail;
    const page = { ...before, case: kase({ version: 4 }), actions: [] };
    expect(afterConflict(page, before)).toEqual({ detail: page, complete: true });
    expect(afterConflict(kase({ version: 5 }), before)).toEqual({ detail: { ...before, case: kase({ version: 5 }) }, complete: false });
    expect(afterConflict(kase({ caseId: 'C2' }), before)).toBeNull();
    expect(afterConflict(undefined, before)).toBeNull();
  });
});
