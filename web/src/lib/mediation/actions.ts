import { charCount, cleanLine, cleanText, USERNAME_PATTERN } from '@gridline/domain/rules';
import { isDay } from '../validate';
import type { FieldMessage } from '../validate';
import { textProblem } from './intake';
import {
  LEVELS,
  type MediationAction,
  type MediationActionInput,
  type MediationCaseView,
  type MediationDetail,
  type MediationLevel,
  type ParticipantRole,
  type Referral,
} from './types';

/*
 * The forms of a case's page: which the caller gets (only what the server's `actions` allows, and for an
 * invited participant only sessions and notes), what each asks for, its problems and its request body,
 * always at the version read. The outcome is two forms: an agreement (调解协议) or a failure.
 */

export const CASE_FORMS = ['session', 'note', 'agree', 'fail', 'follow_up', 'escalate', 'invite'] as const;
export type CaseForm = (typeof CASE_FORMS)[number];

/** The action of the server each form is allowed by. */
const ALLOWED_BY: Record<CaseForm, MediationAction> = {
  session: 'session',
  note: 'note',
  agree: 'outcome',
  fail: 'outcome',
  follow_up: 'follow_up',
  escalate: 'escalate',
  invite: 'invite',
};
/** What an invited participant may record, whatever else the answer says (decision 152). */
const PARTICIPANT_FORMS: readonly CaseForm[] = ['session', 'note'];

/** The forms the caller is offered, in the order the page shows them. */
export function formsFor(detail: Pick<MediationDetail, 'actions' | 'asParticipant'>): CaseForm[] {
  return CASE_FORMS.filter((f) => detail.actions.includes(ALLOWED_BY[f]) && (!detail.asParticipant || PARTICIPANT_FORMS.includes(f)));
}

export type ActionForm = {
  reason: string;
  on: string;
  place: string;
  attendees: string;
  notes: string;
  text: string;
  facts: string;
  terms: string[];
  signedOn: string;
  referral: Referral | '';
  holds: 'holds' | 'broken' | '';
  note: string;
  role: ParticipantRole | '';
  name: string;
  until: string;
  username: string;
};
export type ActionField = keyof ActionForm;

/** An empty form; the days a session was held and an agreement signed start at today. */
export const emptyActionForm = (today: string): ActionForm => ({
  reason: '',
  on: today,
  place: '',
  attendees: '',
  notes: '',
  text: '',
  facts: '',
  terms: [''],
  signedOn: today,
  referral: '',
  holds: '',
  note: '',
  role: '',
  name: '',
  until: '',
  username: '',
});

export const MAX_TERMS = 20;
export const MAX_ATTENDEES = 30;

/** The attendees typed one to a line (or split by 、 , ; in either width), cleaned, each once, in order. */
export function attendeesOf(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\n、,，;；]/)) {
    const name = cleanLine(part);
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

/** The agreement's terms as typed, cleaned, the empty ones dropped. */
export const termsOf = (terms: readonly string[]): string[] => terms.map((t) => cleanText(t)).filter(Boolean);

function lineProblem(value: string, max: number, required: boolean): FieldMessage | undefined {
  const v = cleanLine(value);
  if (!v) return required ? { key: 'validation.required' } : undefined;
  return charCount(v) > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}

const dayProblem = (value: string): FieldMessage | undefined => (isDay(value) ? undefined : { key: 'med.act.badDay' });

/** The fields a form shows, in order (the agreement's terms are one field: the list). */
export const FORM_FIELDS: Record<CaseForm, ActionField[]> = {
  session: ['on', 'place', 'attendees', 'notes'],
  note: ['text'],
  agree: ['facts', 'terms', 'signedOn'],
  fail: ['referral', 'reason'],
  follow_up: ['holds', 'note'],
  escalate: ['reason'],
  invite: ['role', 'name', 'until', 'username'],
};

/**
 * What is wrong with a form, field by field (empty when it may be sent). `today` is the Shanghai day: an
 * invitation runs until today or later, an agreement is not signed in the future.
 */
export function actionProblems(form: CaseForm, f: ActionForm, today: string): Partial<Record<ActionField, FieldMessage>> {
  const out: Partial<Record<ActionField, FieldMessage>> = {};
  const set = (field: ActionField, m: FieldMessage | undefined) => {
    if (m) out[field] = m;
  };
  switch (form) {
    case 'session': {
      set('on', dayProblem(f.on));
      set('place', lineProblem(f.place, 80, true));
      const people = attendeesOf(f.attendees);
      if (people.length === 0) set('attendees', { key: 'validation.required' });
      else if (people.length > MAX_ATTENDEES) set('attendees', { key: 'med.act.tooManyAttendees', params: { max: MAX_ATTENDEES } });
      else if (people.some((p) => charCount(p) > 40)) set('attendees', { key: 'med.act.attendeeTooLong', params: { max: 40 } });
      set('notes', textProblem(f.notes, 1, 4000, true));
      break;
    }
    case 'note':
      set('text', textProblem(f.text, 1, 2000, true));
      break;
    case 'agree': {
      set('facts', textProblem(f.facts, 1, 2000, true));
      const terms = termsOf(f.terms);
      if (terms.length === 0) set('terms', { key: 'med.act.termRequired' });
      else if (terms.length > MAX_TERMS) set('terms', { key: 'med.act.tooManyTerms', params: { max: MAX_TERMS } });
      else if (terms.some((t) => charCount(t) > 500)) set('terms', { key: 'med.act.termTooLong', params: { max: 500 } });
      set('signedOn', dayProblem(f.signedOn) ?? (f.signedOn > today ? { key: 'med.act.signedInFuture' } : undefined));
      break;
    }
    case 'fail':
      if (!f.referral) set('referral', { key: 'validation.required' });
      set('reason', textProblem(f.reason, 2, 500, true));
      break;
    case 'follow_up':
      if (!f.holds) set('holds', { key: 'validation.required' });
      set('note', textProblem(f.note, 1, 1000, true));
      break;
    case 'escalate':
      set('reason', textProblem(f.reason, 2, 500, true));
      break;
    case 'invite':
      if (!f.role) set('role', { key: 'validation.required' });
      set('name', lineProblem(f.name, 40, true));
      set('until', dayProblem(f.until) ?? (f.until < today ? { key: 'med.act.untilPast' } : undefined));
      if (f.username.trim() && !USERNAME_PATTERN.test(f.username.trim())) set('username', { key: 'validation.username' });
      break;
  }
  return out;
}

/** The body of a form without problems, at `version`; an optional username left empty is left out. */
export function actionBody(form: CaseForm, f: ActionForm, version: number): MediationActionInput {
  switch (form) {
    case 'session':
      return {
        action: 'session',
        version,
        on: f.on,
        place: cleanLine(f.place),
        attendees: attendeesOf(f.attendees),
        notes: cleanText(f.notes),
      };
    case 'note':
      return { action: 'note', version, text: cleanText(f.text) };
    case 'agree':
      return { action: 'agree', version, agreement: { facts: cleanText(f.facts), terms: termsOf(f.terms), signedOn: f.signedOn } };
    case 'fail':
      return { action: 'fail', version, failure: { referral: f.referral as Referral, reason: cleanText(f.reason) } };
    case 'follow_up':
      return { action: 'follow_up', version, holds: f.holds === 'holds', note: cleanText(f.note) };
    case 'escalate':
      return { action: 'escalate', version, reason: cleanText(f.reason) };
    case 'invite': {
      const username = f.username.trim();
      return {
        action: 'invite',
        version,
        role: f.role as ParticipantRole,
        name: cleanLine(f.name),
        until: f.until,
        ...(username ? { username } : {}),
      };
    }
  }
}

/** The level an escalation goes to, or undefined at the top of the ladder. */
export const levelAbove = (level: MediationLevel): MediationLevel | undefined => LEVELS[LEVELS.indexOf(level) + 1];

/** One follow-up of an agreement: the day it falls due, its result once done, and whether it is the next one. */
export type FollowUpStep = { due: string; done?: MediationCaseView['followUps'][number]; next: boolean; overdue: boolean };

/** An agreement's follow-ups in order: the ones done, the next one (due by `today` or not yet), and those after it. */
export function followUpSteps(c: Pick<MediationCaseView, 'agreement' | 'followUps'>, today: string): FollowUpStep[] {
  const due = c.agreement?.followUpDue ?? [];
  return due.map((day, i) => {
    const done = c.followUps[i];
    const next = !done && i === c.followUps.length;
    return { due: day, ...(done ? { done } : {}), next, overdue: next && day <= today };
  });
}

/** Whether a value looks like a case's page (a conflict's `current` may carry the whole page, or the case alone). */
const isDetail = (v: unknown): v is MediationDetail =>
  !!v && typeof v === 'object' && 'case' in v && 'actions' in v && Array.isArray((v as MediationDetail).actions);
const isCase = (v: unknown): v is MediationCaseView =>
  !!v && typeof v === 'object' && 'caseId' in v && 'version' in v && 'status' in v && 'level' in v;

/**
 * The page after a version conflict: the page the server sent, or the page read before with the case as
 * it stands now (`complete: false`: read the page again for its actions and timeline). Null when the
 * conflict carries neither, or another case.
 */
export function afterConflict(current: unknown, before: MediationDetail): { detail: MediationDetail; complete: boolean } | null {
  if (isDetail(current)) return current.case.caseId === before.case.caseId ? { detail: current, complete: true } : null;
  if (isCase(current) && current.caseId === before.case.caseId) return { detail: { ...before, case: current }, complete: false };
  return null;
}
