import { AppError } from '../errors';
import type { ContactView, ContactsView } from './api';
import type { Coordinator, TeamPlan } from './rules';
import { type CoverageState, emptyCoverage, FINAL_STAGES } from './stages';

/*
 * A team member's personal data (issue 12 items 1 and 6), as pure rules. The ID number and phone are
 * checked and masked with the population book's own functions (`@gridline/book`: GB 11643, the
 * mainland phone rule, the masks), which the store calls before it seals them with the town's vault;
 * this module decides what is kept where and what leaves the API:
 *
 * - a record keeps the sealed values and their masks; answers carry the masks only (`withoutSealed`);
 * - a reveal opens one sealed value, with a reason, for the roles of `TEAM_REVEAL` (decision 74);
 * - an appointed coordinator's sealed phone is copied into their community's coverage item, and every
 *   step that changes the coverage (appointment, transfer, exit, phone correction) keeps that copy in
 *   line in the same transaction, so "who to call" is one read (decision 75);
 * - the directory shows phones in full, to staff of the same town only.
 */

/** The name each contact field is sealed under in the vault (bound into the ciphertext: a team value cannot pass for a book one). */
export const CONTACT_FIELDS = { idNumber: 'team.idNumber', phone: 'team.phone' } as const;
export type ContactField = keyof typeof CONTACT_FIELDS;

/** A record with its sealed values removed: what the API may answer. */
export function withoutSealed<T extends { idNumberSealed?: string; phoneSealed?: string }>(
  record: T,
): Omit<T, 'idNumberSealed' | 'phoneSealed'> {
  const { idNumberSealed: _id, phoneSealed: _phone, ...rest } = record;
  return rest;
}

/** The sealed value a reveal opens; 404 when the record has none of that field. */
export function sealedFor(record: Coordinator, field: ContactField): string {
  const sealed = field === 'idNumber' ? record.idNumberSealed : record.phoneSealed;
  if (!sealed)
    throw field === 'idNumber'
      ? new AppError('team.no_id_number', 404, 'No ID number is recorded for this person.')
      : new AppError('team.no_phone', 404, 'No phone number is recorded for this person.');
  return sealed;
}

/**
 * Correcting (or adding) a coordinator's phone: the record at the version read gets the new sealed
 * value and mask; if they are appointed, the copy in their community's coverage follows in the same
 * change. A closed record (left, dismissed) is not changed.
 */
export function planPhoneChange(
  now: string,
  before: Coordinator & { version: number },
  version: number,
  phone: { sealed: string; masked: string },
  read: CoverageState | undefined,
): TeamPlan {
  if (FINAL_STAGES.includes(before.stage))
    throw new AppError('team.out_of_order', 409, `A phone cannot be corrected at the stage "${before.stage}".`);
  if (before.version !== version)
    throw new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
  const { version: _v, ...record } = before;
  const after: Coordinator = { ...record, phoneSealed: phone.sealed, phoneMasked: phone.masked, updatedAt: now };
  const coverage: TeamPlan['coverage'] = [];
  const holder = read?.holders[before.coordinatorId];
  if (before.stage === 'appointed' && read && holder) {
    const cov = structuredClone(read);
    cov.holders[before.coordinatorId] = { ...holder, phoneSealed: phone.sealed };
    coverage.push({ before: read, after: cov });
  }
  return {
    before: record,
    after,
    events: [
      {
        coordinatorId: before.coordinatorId,
        kind: 'phone_changed',
        details: { phoneMasked: phone.masked, ...(before.phoneMasked ? { wasMasked: before.phoneMasked } : {}) },
      },
    ],
    coverage,
    counters: [],
    audit: { action: 'team.phone', details: { field: 'phone' } },
  };
}

/**
 * Who to call in a community, from its coverage item alone: per grid that has a responsible
 * coordinator or a post holder, the responsible one and the holders (by name), each with their posts
 * and phone. `open` turns a sealed phone into the number; each is opened once.
 */
export function contactsDirectory(communityId: string, state: CoverageState | undefined, open: (sealed: string) => string): ContactsView {
  const c = state ?? emptyCoverage(communityId);
  const phones = new Map<string, string | undefined>();
  const phoneOf = (coordinatorId: string): string | undefined => {
    if (!phones.has(coordinatorId)) {
      const sealed = c.holders[coordinatorId]?.phoneSealed;
      phones.set(coordinatorId, sealed ? open(sealed) : undefined);
    }
    return phones.get(coordinatorId);
  };
  const contact = (coordinatorId: string, name: string, postIds: readonly string[]): ContactView => {
    const phone = phoneOf(coordinatorId);
    return { coordinatorId, name, postIds: [...postIds], ...(phone ? { phone } : {}) };
  };
  const gridIds = new Set<string>(Object.keys(c.responsible));
  for (const h of Object.values(c.holders)) for (const g of h.gridIds) gridIds.add(g);
  const grids = [...gridIds].sort().map((gridId) => {
    const r = c.responsible[gridId];
    const holders = Object.entries(c.holders)
      .filter(([, h]) => h.gridIds.includes(gridId))
      .map(([id, h]) => contact(id, h.name, h.postIds))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.coordinatorId.localeCompare(b.coordinatorId));
    return {
      gridId,
      responsible: r ? contact(r.coordinatorId, r.name, c.holders[r.coordinatorId]?.postIds ?? []) : null,
      holders,
    };
  });
  return { communityId, grids };
}
