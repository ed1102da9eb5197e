import { isoTime, line, version } from '../common/shapes';
import * as z from '../common/zod';
import { type Sla, slaSchema } from '../calendar/api';
import { DEFAULT_SLA, type Label } from '../defaults';
import { entityIdSchema } from '../ids';
import { MATTER_LEVELS, type MatterLevel } from './ladder';

/*
 * The town's catalogue of matter categories (事件分类): each has a label in both languages and, per
 * level, the SLA to accept and to resolve. A town edits it; every save is kept in the category's
 * history. A category is never deleted, only taken out of use, so old matters keep their label.
 */

/** The SLA of one level: how long to accept a matter arriving there, and to resolve it once there. */
export const levelSlaSchema = z.strictObject({ accept: slaSchema, resolve: slaSchema });
export type LevelSla = z.infer<typeof levelSlaSchema>;
export const categorySlaSchema = z.strictObject({ grid: levelSlaSchema, community: levelSlaSchema, town: levelSlaSchema });
export type CategorySla = z.infer<typeof categorySlaSchema>;

const labelSchema = z.strictObject({ zh: line(30), en: line(60) });

/** A category as the API answers it. */
export const matterCategorySchema = z.object({
  categoryId: entityIdSchema,
  label: z.object({ zh: z.string(), en: z.string() }),
  sla: categorySlaSchema,
  inUse: z.boolean(),
  version,
  updatedAt: isoTime,
  updatedBy: z.string(),
});
export type MatterCategory = z.infer<typeof matterCategorySchema>;

/** A save of one category: new (no version) or a change at the version read. */
export const matterCategoryBodySchema = z.strictObject({
  label: labelSchema,
  sla: categorySlaSchema,
  inUse: z.boolean(),
  version: z.optional(version),
});
export type MatterCategoryBody = z.infer<typeof matterCategoryBodySchema>;

export const matterCategoriesSchema = z.object({ categories: z.array(matterCategorySchema) });

/** One save of a category, as its history shows it. */
export const matterCategoryChangeSchema = z.object({
  at: isoTime,
  actor: z.string(),
  version,
  before: z.optional(matterCategorySchema),
  after: matterCategorySchema,
});
export const matterCategoryHistorySchema = z.object({ categoryId: entityIdSchema, changes: z.array(matterCategoryChangeSchema) });
export type MatterCategoryChange = z.infer<typeof matterCategoryChangeSchema>;

const days = (amount: number): Sla => ({ unit: 'working_days', amount });
const hours = (amount: number): Sla => ({ unit: 'working_hours', amount });

/** The town's default SLA (DEFAULT_SLA, in working days) for every level. */
export function defaultCategorySla(): CategorySla {
  const of = (l: MatterLevel): LevelSla => ({
    accept: days(DEFAULT_SLA[l].acceptWorkingDays),
    resolve: days(DEFAULT_SLA[l].resolveWorkingDays),
  });
  return { grid: of('grid'), community: of('community'), town: of('town') };
}

/**
 * The categories a new town starts with: the usual kinds of matters of grid work. Safety hazards are
 * accepted within 2 working hours and resolved within 2 working days at every level; the rest take the
 * town's defaults.
 */
export const DEFAULT_CATEGORIES: ReadonlyArray<{ categoryId: string; label: Label; sla: CategorySla }> = [
  { categoryId: 'city', label: { zh: '城市管理', en: 'City management' }, sla: defaultCategorySla() },
  { categoryId: 'sanitation', label: { zh: '环境卫生', en: 'Environment & sanitation' }, sla: defaultCategorySla() },
  {
    categoryId: 'safety',
    label: { zh: '安全隐患', en: 'Safety hazard' },
    sla: Object.fromEntries(MATTER_LEVELS.map((l) => [l, { accept: hours(2), resolve: days(2) }])) as CategorySla,
  },
  { categoryId: 'dispute', label: { zh: '矛盾纠纷', en: 'Dispute' }, sla: defaultCategorySla() },
  { categoryId: 'service', label: { zh: '民生服务', en: 'Public service' }, sla: defaultCategorySla() },
  { categoryId: 'other', label: { zh: '其他', en: 'Other' }, sla: defaultCategorySla() },
];

/** A category save checked against what is stored: 409 on a stale version, 404 on a change to nothing. */
export type CategoryPlan =
  | { ok: true; after: MatterCategory; change: MatterCategoryChange }
  | { ok: false; code: 'matter.category_changed' | 'matter.category_exists' | 'matter.category_not_found'; status: 404 | 409 };

export function planCategory(
  categoryId: string,
  body: MatterCategoryBody,
  before: MatterCategory | undefined,
  actor: string,
  now: string,
): CategoryPlan {
  if (before === undefined && body.version !== undefined) return { ok: false, code: 'matter.category_not_found', status: 404 };
  if (before !== undefined && body.version === undefined) return { ok: false, code: 'matter.category_exists', status: 409 };
  if (before !== undefined && body.version !== before.version) return { ok: false, code: 'matter.category_changed', status: 409 };
  const after: MatterCategory = {
    categoryId,
    label: body.label,
    sla: body.sla,
    inUse: body.inUse,
    version: (before?.version ?? 0) + 1,
    updatedAt: now,
    updatedBy: actor,
  };
  return { ok: true, after, change: { at: now, actor, version: after.version, ...(before ? { before } : {}), after } };
}
