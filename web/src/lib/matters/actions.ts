import type { LadderConfig, MatterAction, MatterActionInput, MatterLevel, Satisfaction, VisitMethod } from '@gridline/domain';
import { levelsBelow, MATTER_LADDER, skipTargets } from '@gridline/domain/matters/ladder';
import { charCount, ENTITY_ID_PATTERN, USERNAME_PATTERN } from '@gridline/domain/rules';
import type { FieldMessage } from '../validate';

/*
 * The small form behind each action button of a matter's page: what it asks for, whether the reason is
 * required (the ladder's table says, MATTER_LADDER[action].reason), its problems and the request body,
 * always at the version the page read.
 */

export type ActionForm = {
  reason: string;
  note: string;
  resolution: string;
  to: MatterLevel | '';
  assignee: string;
  targetId: string;
  department: string;
  until: string;
  reachedBy: VisitMethod | '';
  satisfaction: Satisfaction | '';
};

export type ActionField = keyof ActionForm;

export const emptyActionForm = (): ActionForm => ({
  reason: '',
  note: '',
  resolution: '',
  to: '',
  assignee: '',
  targetId: '',
  department: '',
  until: '',
  reachedBy: '',
  satisfaction: '',
});

/** The fields an action's form shows, besides the reason. */
const FIELDS: Record<MatterAction, ActionField[]> = {
  accept: ['note'],
  resolve: ['resolution'],
  escalate: [],
  skip: ['to'],
  send_back: ['to'],
  reassign: ['assignee'],
  merge: ['targetId'],
  transfer: ['department'],
  request_extension: ['until'],
  approve_extension: [],
  reject_extension: [],
  return_visit: ['reachedBy', 'satisfaction'],
  close_without_visit: [],
};

/** The fields of an action's form, the reason last when the action takes one. */
export const fieldsOf = (action: MatterAction): ActionField[] =>
  action === 'accept' || action === 'resolve' ? FIELDS[action] : [...FIELDS[action], 'reason'];

/** Whether the reason must be given: the ladder requires it, or the resident is dissatisfied. */
export function reasonRequired(action: MatterAction, form: Pick<ActionForm, 'satisfaction'>): boolean {
  const r = MATTER_LADDER[action].reason;
  return r === 'required' || (r === 'when_dissatisfied' && form.satisfaction === 'dissatisfied');
}

/** Levels the form offers for `to`: a skip's targets, or the levels below for a send-back (empty: the next one down). */
export function levelChoices(action: MatterAction, ladder: LadderConfig, level: MatterLevel): MatterLevel[] {
  if (action === 'skip') return skipTargets(ladder, level);
  if (action === 'send_back') return levelsBelow(ladder, level);
  return [];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(value: string, min: number, max: number, required: boolean): FieldMessage | undefined {
  const v = value.trim();
  if (!v) return required ? { key: 'validation.required' } : undefined;
  if (charCount(v) < min) return { key: 'matters.act.tooShort', params: { min } };
  return charCount(v) > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}

/** What is wrong with the form for this action, field by field (empty when it may be sent). */
export function actionProblems(action: MatterAction, form: ActionForm): Partial<Record<ActionField, FieldMessage>> {
  const out: Partial<Record<ActionField, FieldMessage>> = {};
  const set = (f: ActionField, m: FieldMessage | undefined) => {
    if (m) out[f] = m;
  };
  for (const f of fieldsOf(action)) {
    switch (f) {
      case 'reason':
        set(f, text(form.reason, 2, 500, reasonRequired(action, form)));
        break;
      case 'note':
        set(f, text(form.note, 1, 500, false));
        break;
      case 'resolution':
        set(f, text(form.resolution, 2, 2000, true));
        break;
      case 'to':
        if (action === 'skip' && !form.to) set(f, { key: 'validation.required' });
        break;
      case 'assignee':
        set(f, USERNAME_PATTERN.test(form.assignee.trim()) ? undefined : { key: 'validation.username' });
        break;
      case 'targetId':
        set(f, ENTITY_ID_PATTERN.test(form.targetId.trim()) ? undefined : { key: 'matters.act.targetInvalid' });
        break;
      case 'department':
        set(f, text(form.department, 1, 80, true));
        break;
      case 'until':
        set(f, DAY.test(form.until) ? undefined : { key: 'validation.required' });
        break;
      case 'reachedBy':
      case 'satisfaction':
        if (!form[f]) set(f, { key: 'validation.required' });
        break;
    }
  }
  return out;
}

/** The body of the action for a form without problems, at `version`; optional fields left empty are left out. */
export function actionBody(action: MatterAction, form: ActionForm, version: number): MatterActionInput {
  const reason = form.reason.trim();
  const withReason = reason ? { reason } : {};
  switch (action) {
    case 'accept': {
      const note = form.note.trim();
      return { action, version, ...(note ? { note } : {}) };
    }
    case 'resolve':
      return { action, version, resolution: form.resolution.trim() };
    case 'skip':
      return { action, version, to: form.to as MatterLevel, reason };
    case 'send_back':
      return { action, version, ...(form.to ? { to: form.to } : {}), reason };
    case 'reassign':
      return { action, version, assignee: form.assignee.trim(), ...withReason };
    case 'merge':
      return { action, version, targetId: form.targetId.trim(), reason };
    case 'transfer':
      return { action, version, department: form.department.trim(), reason };
    case 'request_extension':
      return { action, version, until: form.until, reason };
    case 'approve_extension':
      return { action, version, ...withReason };
    case 'return_visit':
      return {
        action,
        version,
        reachedBy: form.reachedBy as VisitMethod,
        satisfaction: form.satisfaction as Satisfaction,
        ...withReason,
      };
    case 'escalate':
    case 'reject_extension':
    case 'close_without_visit':
      return { action, version, reason };
  }
}
