import type { MediationEvent } from './types';

/*
 * How a case's timeline reads: the facts each entry carries, in a fixed order, and which of them are
 * words of a vocabulary the catalog knows (a level, a type, a referral…).
 */

/** The facts of a timeline entry shown under it, in this order; other details stay out of the way. */
export const EVENT_FACTS = [
  'type',
  'risk',
  'foundBy',
  'from',
  'to',
  'level',
  'reason',
  'on',
  'place',
  'as',
  'text',
  'signedOn',
  'terms',
  'followUpDue',
  'referral',
  'holds',
  'due',
  'note',
  'role',
  'name',
  'until',
] as const;
export type EventFact = (typeof EVENT_FACTS)[number];

/** Facts whose values are words of a vocabulary: the catalog's prefix for them. */
export const FACT_VOCABULARY: Partial<Record<EventFact, string>> = {
  type: 'med.type',
  risk: 'med.risk',
  foundBy: 'med.foundBy',
  from: 'med.level',
  to: 'med.level',
  level: 'med.level',
  as: 'med.as',
  referral: 'med.referral',
  holds: 'med.holds',
  role: 'med.role',
};

/** Entries whose `level` detail repeats the entry's own level (intake) and so is not shown again. */
const LEVEL_SHOWN: readonly string[] = ['reopened'];

/**
 * The facts of an entry that carry a value, as [fact, value] pairs: texts and numbers as they are, a
 * yes/no as `true`/`false` (a vocabulary word), a list of days joined by `、`.
 */
export function eventFacts(e: Pick<MediationEvent, 'kind' | 'details'>): Array<[EventFact, string]> {
  const out: Array<[EventFact, string]> = [];
  for (const k of EVENT_FACTS) {
    if (k === 'level' && !LEVEL_SHOWN.includes(e.kind)) continue;
    const v = e.details[k];
    if (typeof v === 'string' && v !== '') out.push([k, v]);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push([k, String(v)]);
    else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) out.push([k, v.join('、')]);
  }
  return out;
}
