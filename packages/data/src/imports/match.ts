import type { BookImport, BookIssue, PersonRecord, RejectedRow, UserMapping } from '@gridline/book';
import { normaliseHeader } from '@gridline/book';
import type { ImportIssue, OrgPlan } from '@gridline/domain';
import { createHash } from 'node:crypto';
import type { StoredPerson } from '../book';

// How an import matches a file against the town (pure): names of units, header rows, stored people.
// The shapes a preview plans with are here too, shared by the preview, the run and the error file.

export type Org = {
  communities: Map<string, string>;
  grids: Map<string, { gridId: string; communityId: string }>;
  courtyards: Map<string, string>;
  /** By `orgKey`: the same units, for names written with other spacing, width or without the suffix. */
  communityByKey: Map<string, { id: string; name: string }>;
  gridByKey: Map<string, { gridId: string; communityId: string; name: string }>;
};

/** A unit's name reduced for matching: NFKC (full-width to half-width), no spaces, no 社区/网格 suffix. */
export function orgKey(name: string, kind: 'community' | 'grid'): string {
  const bare = name.normalize('NFKC').replace(/\s+/g, '');
  const suffix = kind === 'community' ? /(社区|居委会)$/ : /网格$/;
  const cut = bare.replace(suffix, '');
  return cut === '' ? bare : cut;
}

/** Whether two reduced names differ by one character (changed, added or dropped): a likely typo. */
export function nearMiss(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 2) return false;
  const [s, t] = a.length <= b.length ? [[...a], [...b]] : [[...b], [...a]];
  let i = 0;
  while (i < s.length && s[i] === t[i]) i++;
  const rest = (x: string[], from: number) => x.slice(from).join('');
  return s.length === t.length ? rest(s, i + 1) === rest(t, i + 1) : rest(s, i) === rest(t, i + 1);
}
export type Planned = {
  row: number;
  record: PersonRecord;
  gridId: string;
  communityId: string;
  courtyardKey?: string;
  idHash: string;
  action: 'create' | 'update' | 'unchanged';
  existing?: StoredPerson;
};
export type Plan = {
  book: BookImport;
  org: OrgPlan;
  /** The user's mapping in force (given, or remembered for these headers), and the headers' key. */
  mapping: UserMapping;
  headersKey: string;
  /** The cells of every data row as written, by data row number (for the error file). */
  cells: Map<number, string[]>;
  planned: Planned[];
  extraRejected: RejectedRow[];
  newCourtyards: Map<string, { gridId: string; name: string }>;
  newHouseholds: Map<string, { gridId: string; communityId: string; courtyardKey?: string; door: string }>;
  existingHouseholds: Map<string, { gridId: string; householdId: string }>;
};

/** A book issue as an import reports it. */
export const issueOf = (i: BookIssue): ImportIssue => ({
  ...(i.row !== undefined ? { row: i.row } : {}),
  ...(i.field ? { field: i.field } : {}),
  code: i.code,
  message: i.message,
});

/** A message in both UI languages. */
export const msg = (zh: string, en: string) => ({ zh, en });

/** A short stable key of a header row, for remembering the mapping chosen for files laid out the same way. */
export function headersKeyOf(headers: readonly string[]): string {
  return createHash('sha256').update(headers.map(normaliseHeader).join('\u0001')).digest('base64url').slice(0, 22);
}

/** Whether a book row says nothing new about a stored person (the ID already matched). */
export function sameAsStored(r: PersonRecord, p: StoredPerson, decrypt: (field: string, sealed: string) => string): boolean {
  const phone = p.phoneEnc ? decrypt('phone', p.phoneEnc) : undefined;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (
    same(r.name, p.name) &&
    same(r.gender, p.gender) &&
    same(r.ethnicity, p.ethnicity) &&
    same(r.phone, phone) &&
    same(r.relation ?? '—', p.relation) &&
    same(r.residenceType, p.residenceType) &&
    same([...r.tags].sort(), [...p.tags].sort()) &&
    same([...r.keyTags].sort(), [...(p.keyTags ?? [])].sort()) &&
    same(r.arrivalDate, p.floating?.arrivalDate) &&
    same(r.note, p.note)
  );
}
