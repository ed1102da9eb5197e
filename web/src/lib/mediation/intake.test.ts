import { mediationIntakeSchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import {
  bookCandidates,
  emptyIntake,
  emptyParty,
  type IntakeForm,
  intakeBody,
  intakeFieldOf,
  intakePrefill,
  intakeProblems,
  MAX_PARTIES,
} from './intake';

const picked = (personId: string) => ({ gridId: 'g1', householdId: 'h1', personId, name: '张三' });

function filled(): IntakeForm {
  const f = emptyIntake({ gridId: 'g1' });
  f.parties[0] = { ...emptyParty('outside'), name: ' 李  四 ', phone: ' 13800000000 ' };
  f.parties[1] = { ...emptyParty('book'), picked: picked('p1') };
  return { ...f, type: 'neighbour', summary: ' 楼上漏水，双方为维修费用争执。 ', foundBy: 'walk_in' };
}

describe('the dispute intake form', () => {
  it('makes its own case id once, a valid id of the time it was made', () => {
    const a = emptyIntake({}, 'outside', Date.UTC(2026, 2, 5));
    const b = emptyIntake({}, 'outside', Date.UTC(2026, 2, 5));
    expect(a.caseId).toMatch(/^[0-9A-Z]{26}$/);
    expect(a.caseId).not.toBe(b.caseId);
    expect(a.caseId.slice(0, 10)).toBe(b.caseId.slice(0, 10));
  });

  it('needs two named parties, a type, a grid, a summary and how it was found', () => {
    expect(Object.keys(intakeProblems(emptyIntake()))).toEqual(['party-0-name', 'party-1-name', 'type', 'gridId', 'summary', 'foundBy']);
    expect(intakeProblems(filled())).toEqual({});
  });

  it('asks a book party to be picked, and the same person only once', () => {
    const f = filled();
    f.parties[0] = { ...emptyParty('book') };
    expect(intakeProblems(f)).toEqual({ 'party-0-book': { key: 'med.party.pickRequired' } });
    f.parties[0] = { ...emptyParty('book'), picked: picked('p1') };
    expect(intakeProblems(f)).toEqual({ 'party-1-book': { key: 'med.party.twice' } });
  });

  it('keeps to 2–10 parties and 40 characters a party’s line', () => {
    const f = filled();
    expect(intakeProblems({ ...f, parties: f.parties.slice(0, 1) }).parties).toEqual({
      key: 'med.intake.partyCount',
      params: { min: 2, max: 10 },
    });
    const many = Array.from({ length: MAX_PARTIES + 1 }, () => ({ ...emptyParty(), name: '某人' }));
    expect(Object.keys(intakeProblems({ ...f, parties: many }))).toEqual(['parties']);
    f.parties[0] = { ...emptyParty(), name: '王五', idNumber: 'x'.repeat(41) };
    expect(intakeProblems(f)).toEqual({ 'party-0-idNumber': { key: 'validation.tooLong', params: { max: 40 } } });
  });

  it('wants a reason for a high risk and for starting above the courtyard', () => {
    const f = { ...filled(), risk: 'high' as const, level: 'town' as const };
    expect(intakeProblems(f)).toEqual({ riskReason: { key: 'validation.required' }, diversionReason: { key: 'validation.required' } });
    expect(intakeProblems({ ...f, riskReason: '扬言', diversionReason: '涉及多个社区' })).toEqual({});
    expect(intakeProblems({ ...f, riskReason: '扬', diversionReason: '跨' })).toEqual({
      riskReason: { key: 'med.tooShort', params: { min: 2 } },
      diversionReason: { key: 'med.tooShort', params: { min: 2 } },
    });
  });

  it('builds a body the API schema takes: cleaned, empty optional fields left out, a book party by reference', () => {
    const f = filled();
    const body = intakeBody(f);
    expect(body).toEqual({
      caseId: f.caseId,
      parties: [
        { name: '李 四', phone: '13800000000' },
        { gridId: 'g1', householdId: 'h1', personId: 'p1' },
      ],
      type: 'neighbour',
      gridId: 'g1',
      summary: '楼上漏水，双方为维修费用争执。',
      risk: { level: 'low' },
      foundBy: { how: 'walk_in' },
      level: 'courtyard',
    });
    expect(mediationIntakeSchema.safeParse(body).success).toBe(true);
  });

  it('sends the diversion reason only above the courtyard, the matter only when found by one', () => {
    const f = {
      ...filled(),
      level: 'community' as const,
      diversionReason: ' 双方分属两个网格 ',
      foundBy: 'matter' as const,
      matterId: 'M1',
    };
    const body = intakeBody({ ...f, courtyardId: 'y1', risk: 'high', riskReason: '有冲突苗头', visitId: 'V9' });
    expect(body).toMatchObject({
      courtyardId: 'y1',
      level: 'community',
      diversionReason: '双方分属两个网格',
      foundBy: { how: 'matter', matterId: 'M1' },
      risk: { level: 'high', reason: '有冲突苗头' },
    });
    expect(body.foundBy.visitId).toBeUndefined();
    expect(mediationIntakeSchema.safeParse(body).success).toBe(true);
    expect(intakeBody({ ...f, level: 'courtyard' }).diversionReason).toBeUndefined();
  });

  it('starts from a matter’s link with the matter as how it was found, ignoring what is not an id', () => {
    const p = intakePrefill(new URLSearchParams('matterId=M1&gridId=g1&courtyardId=y%231'));
    expect(p).toEqual({ gridId: 'g1', courtyardId: '', matterId: 'M1', visitId: '' });
    const f = emptyIntake(p);
    expect([f.foundBy, f.matterId, f.gridId]).toEqual(['matter', 'M1', 'g1']);
    expect(intakePrefill(new URLSearchParams('courtyardId=y1')).courtyardId).toBe('');
    expect(emptyIntake(intakePrefill(new URLSearchParams('visitId=V1'))).foundBy).toBe('visit');
  });

  it('points a server error at its field, a party’s by its row', () => {
    const f = filled();
    expect(intakeFieldOf('body.parties.0.phone', f)).toBe('party-0-phone');
    expect(intakeFieldOf('body.parties[0].name', f)).toBe('party-0-name');
    expect(intakeFieldOf('body.parties.1.personId', f)).toBe('party-1-book');
    expect(intakeFieldOf('body.parties.7', f)).toBe('parties');
    expect(intakeFieldOf('body.risk.reason', f)).toBe('riskReason');
    expect(intakeFieldOf('body.diversionReason', f)).toBe('diversionReason');
    expect(intakeFieldOf('body.foundBy.matterId', f)).toBe('matterId');
    expect(intakeFieldOf('body.somethingElse', f)).toBeUndefined();
    expect(intakeFieldOf(undefined, f)).toBeUndefined();
  });

  it('offers as parties only people still in the book', () => {
    expect(
      bookCandidates([
        { status: 'active', n: 1 },
        { status: 'closed', n: 2 },
      ]),
    ).toEqual([{ status: 'active', n: 1 }]);
  });
});
