import type { CategorySla, MatterCategory, MatterCategoryBody, MatterLevel } from '@gridline/domain';
import { MATTER_LEVELS } from '@gridline/domain/matters/ladder';
import { charCount, ENTITY_ID_PATTERN, isCleanLine } from '@gridline/domain/rules';
import type { FieldMessage } from '../validate';

/*
 * The category editor's form (town admins): the labels in both languages, and per level the time to
 * accept and to resolve, each an amount and a unit, as typed; its problems and the request body.
 */

export const SLA_UNITS = ['working_days', 'working_hours'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];
export type SlaKind = 'accept' | 'resolve';
export type SlaForm = { amount: string; unit: SlaUnit };
export type CategoryForm = {
  categoryId: string;
  zh: string;
  en: string;
  inUse: boolean;
  sla: Record<MatterLevel, Record<SlaKind, SlaForm>>;
  /** The version read; absent for a new category. */
  version?: number;
};

/** The largest amounts the server takes (calendar rules: 60 working days, 200 working hours). */
const MAX: Record<SlaUnit, number> = { working_days: 60, working_hours: 200 };

const slaForm = (sla: CategorySla): CategoryForm['sla'] =>
  Object.fromEntries(
    MATTER_LEVELS.map((l) => [
      l,
      {
        accept: { amount: String(sla[l].accept.amount), unit: sla[l].accept.unit },
        resolve: { amount: String(sla[l].resolve.amount), unit: sla[l].resolve.unit },
      },
    ]),
  ) as CategoryForm['sla'];

/** The form for a category as read, or for a new one (the town's default SLA: accept in 1 working day, resolve in 5). */
export function categoryForm(c?: MatterCategory): CategoryForm {
  if (c) return { categoryId: c.categoryId, zh: c.label.zh, en: c.label.en, inUse: c.inUse, sla: slaForm(c.sla), version: c.version };
  const d = { accept: { unit: 'working_days', amount: 1 }, resolve: { unit: 'working_days', amount: 5 } } as const;
  return { categoryId: '', zh: '', en: '', inUse: true, sla: slaForm({ grid: d, community: d, town: d }) };
}

function labelProblem(v: string, max: number): FieldMessage | undefined {
  const s = v.trim();
  if (!s) return { key: 'validation.required' };
  if (!isCleanLine(s)) return { key: 'matters.intake.oneLine' };
  return charCount(s) > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}

/** The problems of the form, keyed `categoryId`, `zh`, `en` or `<level>.<kind>` for an SLA amount. */
export function categoryProblems(f: CategoryForm, taken: readonly string[]): Record<string, FieldMessage> {
  const out: Record<string, FieldMessage> = {};
  if (f.version === undefined) {
    const id = f.categoryId.trim();
    if (!ENTITY_ID_PATTERN.test(id)) out.categoryId = { key: 'matters.cat.idInvalid' };
    else if (taken.includes(id)) out.categoryId = { key: 'matters.cat.idTaken' };
  }
  const zh = labelProblem(f.zh, 30);
  if (zh) out.zh = zh;
  const en = labelProblem(f.en, 60);
  if (en) out.en = en;
  for (const l of MATTER_LEVELS)
    for (const k of ['accept', 'resolve'] as const) {
      const { amount, unit } = f.sla[l][k];
      const n = Number(amount.trim());
      if (!/^\d+$/.test(amount.trim()) || n < 1 || n > MAX[unit])
        out[`${l}.${k}`] = { key: 'matters.cat.amountInvalid', params: { max: MAX[unit] } };
    }
  return out;
}

/** The request body for a form without problems. */
export function categoryBody(f: CategoryForm): MatterCategoryBody {
  const sla = Object.fromEntries(
    MATTER_LEVELS.map((l) => [
      l,
      {
        accept: { unit: f.sla[l].accept.unit, amount: Number(f.sla[l].accept.amount.trim()) },
        resolve: { unit: f.sla[l].resolve.unit, amount: Number(f.sla[l].resolve.amount.trim()) },
      },
    ]),
  ) as CategorySla;
  return { label: { zh: f.zh.trim(), en: f.en.trim() }, sla, inUse: f.inUse, ...(f.version === undefined ? {} : { version: f.version }) };
}
