import { charCount, cleanLine, cleanText, ENTITY_ID_PATTERN } from '@gridline/domain/rules';
import { newId } from '@gridline/domain/new-id';
import type { FieldMessage } from '../validate';
import type { DisputeType, FoundBy, MediationIntake, MediationLevel, PartyInput, RiskLevel } from './types';

/*
 * The intake form (受理矛盾纠纷): the parties (2–10, each a resident picked from the book or someone from
 * outside it), the type, the place, what it is about, the risk, how it came to light and the level it
 * starts at. Its problems field by field, and the request body. The case id is made when the form is,
 * so sending the same form again (a lost answer, a second tap) is the same case. What is typed about an
 * outside party lives in the form's memory only: never in the URL or the browser's storage.
 */

export const MIN_PARTIES = 2;
export const MAX_PARTIES = 10;

/** A resident picked from the book, with what the form shows of them (the phone masked). */
export type BookParty = { gridId: string; householdId: string; personId: string; name: string; phoneMasked?: string };

export type PartyMode = 'book' | 'outside';
/** One party as typed. `key` tells the rows apart while parties are added and removed. */
export type PartyForm = { key: number; mode: PartyMode; picked: BookParty | null; name: string; idNumber: string; phone: string };

export type IntakeForm = {
  caseId: string;
  parties: PartyForm[];
  type: DisputeType | '';
  gridId: string;
  courtyardId: string;
  summary: string;
  risk: RiskLevel;
  riskReason: string;
  foundBy: FoundBy | '';
  matterId: string;
  visitId: string;
  level: MediationLevel;
  diversionReason: string;
};

/** A field of the form: its own fields, `parties` (their number), and each party's `party-<i>-name|idNumber|phone|book`. */
export type IntakeProblems = Record<string, FieldMessage>;

let nextKey = 1;
/** A new, empty party: from outside the book unless the caller reads the book. */
export const emptyParty = (mode: PartyMode = 'outside'): PartyForm => ({
  key: nextKey++,
  mode,
  picked: null,
  name: '',
  idNumber: '',
  phone: '',
});

/** Ids only, as a link from another page may carry them (`?matterId=&gridId=&courtyardId=`, or `?visitId=`). */
export type IntakePrefill = { gridId: string; courtyardId: string; matterId: string; visitId: string };

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What a link asks the form to start with; anything that is not an id is ignored. */
export function intakePrefill(params: URLSearchParams): IntakePrefill {
  const id = (name: string) => {
    const v = params.get(name) ?? '';
    return ID.test(v) ? v : '';
  };
  const gridId = id('gridId');
  return { gridId, courtyardId: gridId ? id('courtyardId') : '', matterId: id('matterId'), visitId: id('visitId') };
}

/** A fresh form with its own case id; a link from a matter (or a visit) says how the dispute was found. */
export function emptyIntake(prefill: Partial<IntakePrefill> = {}, partyMode: PartyMode = 'outside', now = Date.now()): IntakeForm {
  const foundBy: FoundBy | '' = prefill.matterId ? 'matter' : prefill.visitId ? 'visit' : '';
  return {
    caseId: newId(now),
    parties: [emptyParty(partyMode), emptyParty(partyMode)],
    type: '',
    gridId: prefill.gridId ?? '',
    courtyardId: prefill.courtyardId ?? '',
    summary: '',
    risk: 'low',
    riskReason: '',
    foundBy,
    matterId: prefill.matterId ?? '',
    visitId: prefill.visitId ?? '',
    level: 'courtyard',
    diversionReason: '',
  };
}

function lineProblem(value: string, max: number, required: boolean): FieldMessage | undefined {
  const v = cleanLine(value);
  if (!v) return required ? { key: 'validation.required' } : undefined;
  return charCount(v) > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}

/** Free text of `min`–`max` characters (a reason: 2–500). */
export function textProblem(value: string, min: number, max: number, required: boolean): FieldMessage | undefined {
  const v = cleanText(value);
  if (!v) return required ? { key: 'validation.required' } : undefined;
  if (charCount(v) < min) return { key: 'med.tooShort', params: { min } };
  return charCount(v) > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}

const idProblem = (value: string): FieldMessage | undefined =>
  !value.trim() || ENTITY_ID_PATTERN.test(value.trim()) ? undefined : { key: 'med.intake.badId' };

/** What is wrong with the form, field by field, in the order the form shows them. */
export function intakeProblems(f: IntakeForm): IntakeProblems {
  const out: IntakeProblems = {};
  const set = (field: string, m: FieldMessage | undefined) => {
    if (m) out[field] = m;
  };
  if (f.parties.length < MIN_PARTIES || f.parties.length > MAX_PARTIES)
    set('parties', { key: 'med.intake.partyCount', params: { min: MIN_PARTIES, max: MAX_PARTIES } });
  const seen = new Set<string>();
  f.parties.forEach((p, i) => {
    if (p.mode === 'book') {
      if (!p.picked) set(`party-${i}-book`, { key: 'med.party.pickRequired' });
      else if (seen.has(p.picked.personId)) set(`party-${i}-book`, { key: 'med.party.twice' });
      else seen.add(p.picked.personId);
    } else {
      set(`party-${i}-name`, lineProblem(p.name, 40, true));
      set(`party-${i}-idNumber`, lineProblem(p.idNumber, 40, false));
      set(`party-${i}-phone`, lineProblem(p.phone, 40, false));
    }
  });
  if (!f.type) set('type', { key: 'validation.required' });
  if (!f.gridId) set('gridId', { key: 'validation.required' });
  set('summary', textProblem(f.summary, 1, 2000, true));
  set('riskReason', textProblem(f.riskReason, 2, 500, f.risk === 'high'));
  if (!f.foundBy) set('foundBy', { key: 'validation.required' });
  if (f.foundBy === 'matter') set('matterId', idProblem(f.matterId));
  if (f.foundBy === 'visit') set('visitId', idProblem(f.visitId));
  if (f.level !== 'courtyard') set('diversionReason', textProblem(f.diversionReason, 2, 500, true));
  return out;
}

/** A party as the API takes it: a reference into the book, or a name with what was typed of the ID number and phone. */
export function partyBody(p: PartyForm): PartyInput {
  if (p.mode === 'book' && p.picked) return { gridId: p.picked.gridId, householdId: p.picked.householdId, personId: p.picked.personId };
  const idNumber = cleanLine(p.idNumber);
  const phone = cleanLine(p.phone);
  return { name: cleanLine(p.name), ...(idNumber ? { idNumber } : {}), ...(phone ? { phone } : {}) };
}

/** The request body of a form without problems: cleaned, empty optional fields left out. */
export function intakeBody(f: IntakeForm): MediationIntake {
  const riskReason = cleanText(f.riskReason);
  const matterId = f.matterId.trim();
  const visitId = f.visitId.trim();
  return {
    caseId: f.caseId,
    parties: f.parties.map(partyBody),
    type: f.type as DisputeType,
    gridId: f.gridId,
    ...(f.courtyardId ? { courtyardId: f.courtyardId } : {}),
    summary: cleanText(f.summary),
    risk: { level: f.risk, ...(riskReason ? { reason: riskReason } : {}) },
    foundBy: {
      how: f.foundBy as FoundBy,
      ...(f.foundBy === 'matter' && matterId ? { matterId } : {}),
      ...(f.foundBy === 'visit' && visitId ? { visitId } : {}),
    },
    level: f.level,
    ...(f.level !== 'courtyard' ? { diversionReason: cleanText(f.diversionReason) } : {}),
  };
}

/**
 * The form field a server error's `field` names, if any: `body.parties.1.name` (or `parties[1].name`) is
 * the second party's name, a book party's reference its picker; `body.risk.reason` the risk's reason.
 */
export function intakeFieldOf(serverField: string | undefined, f: Pick<IntakeForm, 'parties'>): string | undefined {
  if (!serverField) return undefined;
  const path = serverField.replace(/^body\./, '').replace(/\[(\d+)\]/g, '.$1');
  const party = /^parties\.(\d+)(?:\.(\w+))?/.exec(path);
  if (party) {
    const i = Number(party[1]);
    const p = f.parties[i];
    if (!p) return 'parties';
    if (p.mode === 'book') return `party-${i}-book`;
    const sub = party[2];
    return `party-${i}-${sub === 'idNumber' || sub === 'phone' ? sub : 'name'}`;
  }
  const map: Record<string, string> = {
    parties: 'parties',
    type: 'type',
    gridId: 'gridId',
    courtyardId: 'courtyardId',
    summary: 'summary',
    risk: 'riskReason',
    'risk.reason': 'riskReason',
    'risk.level': 'risk',
    foundBy: 'foundBy',
    'foundBy.how': 'foundBy',
    'foundBy.matterId': 'matterId',
    'foundBy.visitId': 'visitId',
    level: 'level',
    diversionReason: 'diversionReason',
  };
  return map[path];
}

/** The element id of a form field, for focus and error wiring. */
export const intakeInputId = (field: string): string => `m-${field}`;

/** The book's name-search answers that may be a party: people still living in the book. */
export const bookCandidates = <P extends { status: string }>(people: P[]): P[] => people.filter((p) => p.status === 'active');
