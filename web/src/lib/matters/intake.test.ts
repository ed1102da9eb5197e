import { matterIntakeSchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { emptyIntake, intakeBody, intakeFieldOf, intakeProblems } from './intake';

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
});
