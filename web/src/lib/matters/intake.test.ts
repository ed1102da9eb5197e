import { matterIntakeSchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { bookMatches, emptyIntake, intakeBody, intakeFieldOf, intakePrefill, intakeProblems } from './intake';

const filled = { ...emptyIntake('g1'), categoryId: 'sanitation', description: ' 楼道堆放杂物，影响通行。 ', reporterName: '王女士' };

describe('the intake form', () => {
  it('needs a category, a grid, a description and a name', () => {
    expect(Object.keys(intakeProblems(emptyIntake()))).toEqual(['categoryId', 'gridId', 'description', 'reporterName']);
    expect(intakeProblems(filled)).toEqual({});
  });

  it('asks a hotline order for its number, and sends it only for a hotline order', () => {
    expect(intakeProblems({ ...filled, channel: 'hotline' })).toEqual({ hotlineRef: { key: 'validation.required' } });
    const hotline = intakeBody({ ...filled, channel: 'hotline', hotlineRef: ' 12345-2026-0001 ' });
    expect(hotline.hotlineRef).toBe('12345-2026-0001');
    expect(intakeBody({ ...filled, channel: 'phone', hotlineRef: 'left over' }).hotlineRef).toBeUndefined();
  });

  it('builds a body the API schema takes, trimmed, empty optional fields left out', () => {
    const body = intakeBody(filled);
    expect(body).toEqual({
      categoryId: 'sanitation',
      gridId: 'g1',
      description: '楼道堆放杂物，影响通行。',
      reporter: { name: '王女士' },
      urgency: 'normal',
      channel: 'coordinator',
    });
    expect(matterIntakeSchema.safeParse(body).success).toBe(true);
    const full = intakeBody({
      ...filled,
      courtyardId: 'y1',
      reporterPhone: '13800000000',
      urgency: 'urgent',
      channel: 'hotline',
      hotlineRef: 'A1',
    });
    expect(matterIntakeSchema.safeParse(full).success).toBe(true);
  });

  it("points a server error's field at the form's field", () => {
    expect(intakeFieldOf('body.reporter.name')).toBe('reporterName');
    expect(intakeFieldOf('body.hotlineRef')).toBe('hotlineRef');
    expect(intakeFieldOf('body.point')).toBeUndefined();
    expect(intakeFieldOf(undefined)).toBeUndefined();
  });

  describe('with a reporter from the book', () => {
    const resident = { personId: 'p7', householdId: 'h3', courtyardId: 'y1', name: '钱进', phoneMasked: '138****0000' };
    const book = { ...filled, reporterMode: 'book' as const, reporterName: 'typed earlier', reporterPhone: '13800000000' };

    it('needs a resident picked, not a typed name', () => {
      expect(intakeProblems({ ...book, reporterName: '' })).toEqual({ bookReporter: { key: 'matters.reporter.required' } });
      expect(intakeProblems({ ...book, reporterName: '', bookReporter: resident })).toEqual({});
    });

    it('sends the person and their household, never the typed name or phone', () => {
      const body = intakeBody({ ...book, courtyardId: 'y1', bookReporter: resident });
      expect(body).toEqual({
        categoryId: 'sanitation',
        gridId: 'g1',
        courtyardId: 'y1',
        householdId: 'h3',
        description: '楼道堆放杂物，影响通行。',
        reporter: { personId: 'p7' },
        urgency: 'normal',
        channel: 'coordinator',
      });
      expect(matterIntakeSchema.safeParse(body).success).toBe(true);
      // Switched back to typing, the picked resident is not sent.
      expect(intakeBody({ ...book, reporterMode: 'typed', bookReporter: resident })).toMatchObject({
        reporter: { name: 'typed earlier', phone: '13800000000' },
      });
      expect(intakeBody({ ...book, reporterMode: 'typed', bookReporter: resident }).householdId).toBeUndefined();
    });

    it("points the API's person and household errors at the picker", () => {
      expect(intakeFieldOf('body.reporter.personId', 'book')).toBe('bookReporter');
      expect(intakeFieldOf('body.householdId', 'book')).toBe('bookReporter');
      expect(intakeFieldOf('body.reporter', 'book')).toBe('bookReporter');
      expect(intakeFieldOf('body.reporter')).toBe('reporterName');
    });

    it("keeps only the chosen grid's active residents of the search's answers", () => {
      const people = [
        { personId: 'a', gridId: 'g1', status: 'active' },
        { personId: 'b', gridId: 'g2', status: 'active' },
        { personId: 'c', gridId: 'g1', status: 'closed' },
      ];
      expect(bookMatches(people, 'g1').map((p) => p.personId)).toEqual(['a']);
    });
  });

  it('starts at the place a link names (from a visit): grid, household, courtyard, ids only', () => {
    const p = intakePrefill(new URLSearchParams('grid=qs-g1&household=01HV0000000000000000000000&courtyard=qs-y1'));
    expect(p).toEqual({ gridId: 'qs-g1', householdId: '01HV0000000000000000000000', courtyardId: 'qs-y1' });
    // Anything that is not an id is ignored; a household without a grid is ignored too.
    expect(intakePrefill(new URLSearchParams('grid=<script>&household=h1'))).toEqual({ gridId: '', householdId: '', courtyardId: '' });
    expect(intakePrefill(new URLSearchParams('household=h1'))).toEqual({ gridId: '', householdId: '', courtyardId: '' });
    // The body carries the household with a typed reporter; a reporter from the book places it at theirs.
    const linked = { ...filled, gridId: p.gridId, householdId: p.householdId };
    expect(intakeBody(linked).householdId).toBe(p.householdId);
    expect(matterIntakeSchema.safeParse(intakeBody(linked)).success).toBe(true);
    const picked = { personId: 'p1', householdId: 'h2', name: '王' };
    expect(intakeBody({ ...linked, reporterMode: 'book', bookReporter: picked }).householdId).toBe('h2');
  });
});
