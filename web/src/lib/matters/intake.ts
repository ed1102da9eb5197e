import type { MatterChannel, MatterIntake, MatterUrgency } from '@gridline/domain';
import { charCount, isCleanLine } from '@gridline/domain/rules';
import type { FieldMessage } from '../validate';

/*
 * The intake form (登记事件): its fields as typed, their problems, and the request body. A hotline
 * order carries its reference number (the 12345 work-order number), and only a hotline order does.
 * The reporter is either typed (a name, a phone) or a resident picked from the population book: then
 * the body names the person and their household, and the API checks both are in the matter's grid.
 */

/** A resident picked from the book as the reporter, with what the form shows of them (masked). */
export type BookReporter = {
  personId: string;
  householdId: string;
  courtyardId?: string;
  name: string;
  phoneMasked?: string;
};
export type ReporterMode = 'typed' | 'book';

export type IntakeForm = {
  categoryId: string;
  gridId: string;
  courtyardId: string;
  description: string;
  reporterMode: ReporterMode;
  reporterName: string;
  reporterPhone: string;
  bookReporter: BookReporter | null;
  /** The household the matter is about when it was raised from a visit (a reporter from the book places it at theirs instead). */
  householdId: string;
  urgency: MatterUrgency;
  channel: MatterChannel;
  hotlineRef: string;
};
export type IntakeField = keyof IntakeForm;

export const emptyIntake = (gridId = ''): IntakeForm => ({
  categoryId: '',
  gridId,
  courtyardId: '',
  householdId: '',
  description: '',
  reporterMode: 'typed',
  reporterName: '',
  reporterPhone: '',
  bookReporter: null,
  urgency: 'normal',
  channel: 'coordinator',
  hotlineRef: '',
});

function lineProblem(value: string, max: number, required: boolean): FieldMessage | undefined {
  const v = value.trim();
  if (!v) return required ? { key: 'validation.required' } : undefined;
  if (!isCleanLine(v)) return { key: 'matters.intake.oneLine' };
  return charCount(v) > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}

/** What is wrong with the form, field by field, in the order the form shows them. */
export function intakeProblems(f: IntakeForm): Partial<Record<IntakeField, FieldMessage>> {
  const out: Partial<Record<IntakeField, FieldMessage>> = {};
  if (!f.categoryId) out.categoryId = { key: 'validation.required' };
  if (!f.gridId) out.gridId = { key: 'validation.required' };
  const d = f.description.trim();
  if (!d) out.description = { key: 'validation.required' };
  else if (charCount(d) > 2000) out.description = { key: 'validation.tooLong', params: { max: 2000 } };
  if (f.reporterMode === 'book') {
    if (!f.bookReporter) out.bookReporter = { key: 'matters.reporter.required' };
  } else {
    const name = lineProblem(f.reporterName, 40, true);
    if (name) out.reporterName = name;
    const phone = lineProblem(f.reporterPhone, 40, false);
    if (phone) out.reporterPhone = phone;
  }
  if (f.channel === 'hotline') {
    const ref = lineProblem(f.hotlineRef, 40, true);
    if (ref) out.hotlineRef = ref;
  }
  return out;
}

/** The request body of a form without problems: trimmed, empty optional fields left out. */
export function intakeBody(f: IntakeForm): MatterIntake {
  const phone = f.reporterPhone.trim();
  const picked = f.reporterMode === 'book' ? f.bookReporter : null;
  return {
    categoryId: f.categoryId,
    gridId: f.gridId,
    ...(f.courtyardId ? { courtyardId: f.courtyardId } : {}),
    ...(picked ? { householdId: picked.householdId } : f.householdId ? { householdId: f.householdId } : {}),
    description: f.description.trim(),
    reporter: picked ? { personId: picked.personId } : { name: f.reporterName.trim(), ...(phone ? { phone } : {}) },
    urgency: f.urgency,
    channel: f.channel,
    ...(f.channel === 'hotline' ? { hotlineRef: f.hotlineRef.trim() } : {}),
  };
}

/** Ids only, as a link from another page may carry them (`?grid=&household=&courtyard=`, e.g. from a visit). */
export type IntakePrefill = { gridId: string; householdId: string; courtyardId: string };

const ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The place a link asks the form to start with; anything that is not an id is ignored. */
export function intakePrefill(params: URLSearchParams): IntakePrefill {
  const id = (name: string) => {
    const v = params.get(name) ?? '';
    return ID.test(v) ? v : '';
  };
  const gridId = id('grid');
  return { gridId, householdId: gridId ? id('household') : '', courtyardId: gridId ? id('courtyard') : '' };
}

/** The form field a server error's `field` names (`body.reporter.name` → `reporterName`), if any. */
export function intakeFieldOf(serverField: string | undefined, mode: ReporterMode = 'typed'): IntakeField | undefined {
  if (!serverField) return undefined;
  const path = serverField.replace(/^body\./, '');
  if (mode === 'book' && path === 'reporter') return 'bookReporter';
  const map: Record<string, IntakeField> = {
    categoryId: 'categoryId',
    gridId: 'gridId',
    courtyardId: 'courtyardId',
    description: 'description',
    'reporter.name': 'reporterName',
    'reporter.phone': 'reporterPhone',
    reporter: 'reporterName',
    'reporter.personId': 'bookReporter',
    householdId: mode === 'book' ? 'bookReporter' : 'gridId',
    urgency: 'urgency',
    channel: 'channel',
    hotlineRef: 'hotlineRef',
  };
  return map[path];
}

/**
 * The book's name-search answers that can report a matter in `gridId`: active residents of that grid.
 * (The search itself covers every grid the caller sees; the API refuses a person of another grid.)
 */
export const bookMatches = <P extends { gridId: string; status: string }>(people: P[], gridId: string): P[] =>
  people.filter((p) => p.gridId === gridId && p.status === 'active');
