import { isoTime, paragraph, version } from '../common/shapes';
import * as z from '../common/zod';
import { entityIdSchema } from '../ids';
import type { TownPrincipal } from '../principal';

/*
 * Book corrections proposed from visits (issue 14): a coordinator at the door finds a new phone, a
 * person moved away or died, or something else wrong in the book, and proposes the correction; staff
 * with write rights over the household's community accept it (the book changes through its own
 * change, in the same transaction) or reject it. Pure rules: who proposes, who decides, what a
 * decision does.
 */

export const CORRECTION_KINDS = ['phone', 'moved_away', 'died', 'other'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];
export const CORRECTION_STATUSES = ['open', 'accepted', 'rejected'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];

/** Who may propose (scoped: a coordinator their grids, community staff their communities, admins the town). */
export const CORRECTION_PROPOSERS = ['town_admin', 'community_staff', 'grid_coordinator'] as const;
/** Who may decide (community staff only within their communities). */
export const CORRECTION_DECIDERS = ['town_admin', 'community_staff'] as const;

export const correctionProposalSchema = z
  .strictObject({
    kind: z.enum(CORRECTION_KINDS),
    gridId: entityIdSchema,
    householdId: entityIdSchema,
    personId: z.optional(entityIdSchema),
    visitId: z.optional(entityIdSchema),
    /** In clear over TLS only: checked like the book's phone, sealed, answered masked. */
    phone: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
    note: z.optional(paragraph(300)),
  })
  .check(
    z.refine((b) => b.kind === 'other' || b.personId !== undefined, { message: 'Name the person.', path: ['personId'] }),
    z.refine((b) => b.kind !== 'phone' || b.phone !== undefined, { message: 'Give the new phone.', path: ['phone'] }),
    z.refine((b) => b.kind === 'phone' || b.phone === undefined, { message: 'Only a phone correction carries a phone.', path: ['phone'] }),
  );
export type CorrectionProposal = z.infer<typeof correctionProposalSchema>;

export const correctionDecisionSchema = z.strictObject({
  version,
  decision: z.enum(['accept', 'reject']),
  reason: z.optional(paragraph(300)),
});
export type CorrectionDecision = z.infer<typeof correctionDecisionSchema>;

export const correctionListQuerySchema = z.strictObject({
  status: z._default(z.enum(CORRECTION_STATUSES), 'open'),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
export type CorrectionListQuery = z.infer<typeof correctionListQuerySchema>;

/** A correction as the API answers it: never the phone, only its masked form. */
export const correctionViewSchema = z.object({
  correctionId: z.string(),
  status: z.enum(CORRECTION_STATUSES),
  kind: z.enum(CORRECTION_KINDS),
  gridId: z.string(),
  communityId: z.string(),
  householdId: z.string(),
  personId: z.optional(z.string()),
  visitId: z.optional(z.string()),
  phoneMasked: z.optional(z.string()),
  note: z.optional(z.string()),
  proposedBy: z.string(),
  proposedAt: isoTime,
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(isoTime),
  reason: z.optional(z.string()),
  version,
});
export type CorrectionView = z.infer<typeof correctionViewSchema>;

export const correctionPageSchema = z.object({ items: z.array(correctionViewSchema), cursor: z.optional(z.string()) });
export type CorrectionPage = z.infer<typeof correctionPageSchema>;

/** A place in the book as the scope rules see it. */
export type CorrectionPlace = { gridId: string; communityId: string };

/** Whether the caller may propose a correction for a household of this grid. */
export function mayProposeCorrection(p: TownPrincipal, place: CorrectionPlace): boolean {
  switch (p.role) {
    case 'town_admin':
      return true;
    case 'community_staff':
      return p.scope.communities.includes(place.communityId);
    case 'grid_coordinator':
      return p.scope.grids.includes(place.gridId);
    default:
      return false;
  }
}

/** Whether the caller may decide a correction of this place (staff with write rights over its community). */
export function mayDecideCorrection(p: TownPrincipal, place: CorrectionPlace): boolean {
  if (p.role === 'town_admin') return true;
  return p.role === 'community_staff' && p.scope.communities.includes(place.communityId);
}

/**
 * Whether the caller sees a correction in the review list: deciders of its place, auditors of the
 * town or their communities, and whoever proposed it.
 */
export function maySeeCorrection(p: TownPrincipal, c: CorrectionPlace & { proposedBy: string }): boolean {
  if (c.proposedBy === p.username || mayDecideCorrection(p, c)) return true;
  if (p.role === 'auditor') return p.scope.communities.length === 0 || p.scope.communities.includes(c.communityId);
  return false;
}

/** What accepting a correction does to the book. */
export type CorrectionEffect = { book: 'set_phone' } | { book: 'close_person'; reason: 'moved_away' | 'died' } | { book: 'none' };

export type CorrectionRefusal = { code: string; status: 403 | 404 | 409; message: string; field?: string };

/**
 * A decision on a correction at the version read: refused when the caller may not decide (404, as if
 * it did not exist, when it is outside their communities; 403 when they see it but may not decide),
 * when it was decided already or changed meanwhile (409). Otherwise the correction after it and what
 * the book must do in the same transaction.
 */
export function decideCorrection(
  c: CorrectionView,
  input: CorrectionDecision,
  p: TownPrincipal,
  now: string,
):
  | { ok: true; after: CorrectionView; effect: CorrectionEffect }
  | {
      ok: false;
      refusal: CorrectionRefusal;
    } {
  if (!mayDecideCorrection(p, c)) {
    if (!maySeeCorrection(p, c))
      return { ok: false, refusal: { code: 'correction.not_found', status: 404, message: 'No such correction.' } };
    return {
      ok: false,
      refusal: { code: 'correction.not_decider', status: 403, message: 'Only staff of its community decide a correction.' },
    };
  }
  if (c.status !== 'open')
    return {
      ok: false,
      refusal: { code: 'correction.decided', status: 409, message: 'This correction was decided already.', field: 'body.version' },
    };
  if (c.version !== input.version)
    return {
      ok: false,
      refusal: { code: 'correction.changed', status: 409, message: 'This correction changed meanwhile; reload it.', field: 'body.version' },
    };
  const after: CorrectionView = {
    ...c,
    status: input.decision === 'accept' ? 'accepted' : 'rejected',
    decidedBy: p.username,
    decidedAt: now,
    ...(input.reason ? { reason: input.reason } : {}),
    version: c.version + 1,
  };
  let effect: CorrectionEffect = { book: 'none' };
  if (input.decision === 'accept')
    effect =
      c.kind === 'phone'
        ? { book: 'set_phone' }
        : c.kind === 'moved_away' || c.kind === 'died'
          ? { book: 'close_person', reason: c.kind }
          : { book: 'none' };
  return { ok: true, after, effect };
}

const ID_RUN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;
const MOBILE_RUN = /(?<!\d)1\d{10}(?!\d)/g;

/**
 * Free text with ID numbers and mobile numbers masked as the book masks them (first four and last
 * four of an ID, `138****5678` for a mobile), for notes that are stored and shown.
 */
export function maskNumbersInText(text: string): string {
  return text
    .replace(ID_RUN, (s) => `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`)
    .replace(MOBILE_RUN, (s) => `${s.slice(0, 3)}****${s.slice(-4)}`);
}
