import { DEFAULT_LADDER } from '@gridline/domain/matters/ladder';
import { matterActionSchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { actionBody, actionProblems, emptyActionForm, fieldsOf, levelChoices, reasonRequired } from './actions';

const form = (over: Partial<ReturnType<typeof emptyActionForm>>) => ({ ...emptyActionForm(), ...over });

describe("a matter's action forms", () => {
  it('asks for a reason where the ladder requires one, and for a return visit only when dissatisfied', () => {
    expect(reasonRequired('escalate', form({}))).toBe(true);
    expect(reasonRequired('accept', form({}))).toBe(false);
    expect(reasonRequired('reassign', form({}))).toBe(false);
    expect(reasonRequired('return_visit', form({ satisfaction: 'satisfied' }))).toBe(false);
    expect(reasonRequired('return_visit', form({ satisfaction: 'dissatisfied' }))).toBe(true);
    expect(fieldsOf('accept')).toEqual(['note']);
    expect(fieldsOf('return_visit')).toEqual(['reachedBy', 'satisfaction', 'reason']);
  });

  it('finds what is missing before anything is sent', () => {
    expect(actionProblems('escalate', form({ reason: ' ' }))).toEqual({ reason: { key: 'validation.required' } });
    expect(actionProblems('escalate', form({ reason: '急' }))).toEqual({ reason: { key: 'matters.act.tooShort', params: { min: 2 } } });
    expect(Object.keys(actionProblems('return_visit', form({ satisfaction: 'dissatisfied' })))).toEqual(['reachedBy', 'reason']);
    expect(actionProblems('skip', form({ reason: '情况紧急' }))).toEqual({ to: { key: 'validation.required' } });
    expect(actionProblems('send_back', form({ reason: '不属本级' }))).toEqual({});
    expect(actionProblems('reassign', form({ assignee: 'Not A Name' })).assignee).toEqual({ key: 'validation.username' });
    expect(actionProblems('request_extension', form({ reason: '等待材料', until: '' })).until).toBeDefined();
  });

  it('builds bodies the API schema takes, at the version read, leaving empty optional fields out', () => {
    const cases = [
      actionBody('accept', form({}), 3),
      actionBody('accept', form({ note: ' 我来办 ' }), 3),
      actionBody('resolve', form({ resolution: '已清理。' }), 3),
      actionBody('escalate', form({ reason: '需社区协调' }), 3),
      actionBody('skip', form({ to: 'town', reason: '情况紧急' }), 3),
      actionBody('send_back', form({ reason: '属网格处理' }), 3),
      actionBody('reassign', form({ assignee: 'zhang.san' }), 3),
      actionBody('merge', form({ targetId: 'M2', reason: '重复登记' }), 3),
      actionBody('transfer', form({ department: '县住建局', reason: '职能在县' }), 3),
      actionBody('request_extension', form({ until: '2026-12-20', reason: '等待材料' }), 3),
      actionBody('approve_extension', form({}), 3),
      actionBody('reject_extension', form({ reason: '应按时办结' }), 3),
      actionBody('return_visit', form({ reachedBy: 'phone', satisfaction: 'satisfied' }), 3),
      actionBody('return_visit', form({ reachedBy: 'in_person', satisfaction: 'dissatisfied', reason: '问题还在' }), 3),
      actionBody('close_without_visit', form({ reason: '联系不上' }), 3),
    ];
    for (const body of cases) expect(matterActionSchema.safeParse(body).success, JSON.stringify(body)).toBe(true);
    expect(cases[0]).toEqual({ action: 'accept', version: 3 });
    expect(cases[1]).toEqual({ action: 'accept', version: 3, note: '我来办' });
    expect(cases[5]).toEqual({ action: 'send_back', version: 3, reason: '属网格处理' });
  });

  it("offers the ladder's levels for a skip and a send-back", () => {
    expect(levelChoices('skip', DEFAULT_LADDER, 'grid')).toEqual(['town']);
    expect(levelChoices('send_back', DEFAULT_LADDER, 'town')).toEqual(['community', 'grid']);
    expect(levelChoices('skip', { ...DEFAULT_LADDER, levels: ['grid', 'town'] }, 'grid')).toEqual([]);
  });
});
