import { DEFAULT_CATEGORIES, matterCategoryBodySchema, type MatterCategory } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { categoryBody, categoryForm, categoryProblems } from './catalogue';

const safety = DEFAULT_CATEGORIES.find((c) => c.categoryId === 'safety');
const stored: MatterCategory = {
  ...(safety as NonNullable<typeof safety>),
  inUse: true,
  version: 2,
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: 'admin',
};

describe('the category editor', () => {
  it('reads a category back into the same body, at its version', () => {
    const body = categoryBody(categoryForm(stored));
    expect(body).toEqual({ label: stored.label, sla: stored.sla, inUse: true, version: 2 });
    expect(matterCategoryBodySchema.safeParse(body).success).toBe(true);
  });

  it('starts a new category with an id to choose and the default time limits, without a version', () => {
    const f = categoryForm();
    expect(categoryProblems(f, [])).toMatchObject({ categoryId: { key: 'matters.cat.idInvalid' }, zh: { key: 'validation.required' } });
    const named = { ...f, categoryId: 'parking', zh: '停车管理', en: 'Parking' };
    expect(categoryProblems(named, ['parking'])).toEqual({ categoryId: { key: 'matters.cat.idTaken' } });
    expect(categoryProblems(named, ['safety'])).toEqual({});
    const body = categoryBody(named);
    expect(body.version).toBeUndefined();
    expect(body.sla.community).toEqual({ accept: { unit: 'working_days', amount: 1 }, resolve: { unit: 'working_days', amount: 5 } });
    expect(matterCategoryBodySchema.safeParse(body).success).toBe(true);
  });

  it('refuses amounts that are not whole numbers within the unit’s limit', () => {
    const f = categoryForm(stored);
    f.sla.grid.accept = { amount: '0', unit: 'working_hours' };
    f.sla.town.resolve = { amount: '61', unit: 'working_days' };
    f.sla.community.resolve = { amount: '1.5', unit: 'working_days' };
    expect(Object.keys(categoryProblems(f, []))).toEqual(['grid.accept', 'community.resolve', 'town.resolve']);
    f.sla.town.resolve = { amount: '61', unit: 'working_hours' };
    expect(categoryProblems(f, [])['town.resolve']).toBeUndefined();
  });
});
