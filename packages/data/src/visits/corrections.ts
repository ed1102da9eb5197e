import { checkPhone, maskPhone } from '@gridline/book';
import {
  AppError,
  type CorrectionDecision,
  type CorrectionListQuery,
  type CorrectionPage,
  type CorrectionProposal,
  type CorrectionView,
  decideCorrection,
  maskNumbersInText,
  mayProposeCorrection,
  maySeeCorrection,
  newId,
  planClose,
  type TownPrincipal,
  visitDay,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import type { StoredPerson } from '../book';
import { bookReads } from '../book/reads';
import { type Key, townKeys } from '../keys';
import { type Change, commitChange, getItem, type Item, publicFields, queryPage, type Write } from '../ops';
import { townVault } from '../vault';

/** A correction as stored: the view's fields, the phone sealed with the town's vault, its index keys. */
type StoredCorrection = CorrectionView & { phoneEnc?: string };

const VIEW_FIELDS = [
  'correctionId',
  'status',
  'kind',
  'gridId',
  'communityId',
  'householdId',
  'personId',
  'visitId',
  'phoneMasked',
  'note',
  'proposedBy',
  'proposedAt',
  'decidedBy',
  'decidedAt',
  'reason',
  'version',
] as const;

/** What the API answers of a stored correction: never the sealed phone. */
export function correctionView(item: Item): CorrectionView {
  const all = publicFields<Record<string, unknown>>(item);
  const out: Record<string, unknown> = {};
  for (const f of VIEW_FIELDS) if (all[f] !== undefined) out[f] = all[f];
  return out as CorrectionView;
}

/** The stored item of a correction, indexed by status (gsi1: `<proposedAt>#<id>`, newest last). */
export function correctionItem(townId: string, c: StoredCorrection): Item & Key {
  const k = townKeys(townId);
  return {
    ...k.correction(c.correctionId),
    type: 'BookCorrection',
    ...c,
    gsi1pk: k.correctionStatusPk(c.status),
    gsi1sk: `${c.proposedAt}#${c.correctionId}`,
  };
}

/**
 * Book corrections proposed from visits, as one caller uses them (`@gridline/data/visits/corrections`).
 * A correction outside the caller's reach answers 404, as one that does not exist.
 */
export function correctionsOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const k = townKeys(townId);
  const notFound = () => new AppError('correction.not_found', 404, 'No such correction.');
  const unknown = (code: string, message: string, field: string) => new AppError(code, 422, message, { field });

  async function read(correctionId: string): Promise<StoredCorrection> {
    const item = await getItem<Item>(k.correction(correctionId), { consistent: true });
    if (!item) throw notFound();
    const c = publicFields<StoredCorrection>(item);
    if (!maySeeCorrection(principal, c)) throw notFound();
    return c;
  }

  return {
    /** Proposes a correction of a household of the caller's grids (or communities): the phone sealed, the note masked. */
    async propose(body: CorrectionProposal, now: string): Promise<CorrectionView> {
      const [grid, household, person, visit] = await Promise.all([
        getItem<{ communityId?: string; status?: string }>(k.grid(body.gridId)),
        getItem<{ status?: string }>(k.household(body.gridId, body.householdId)),
        body.personId ? getItem<{ status?: string }>(k.person(body.gridId, body.householdId, body.personId)) : undefined,
        body.visitId ? getItem<Item>(k.visit(body.gridId, body.householdId, body.visitId)) : undefined,
      ]);
      if (!grid?.communityId || grid.status === 'retired') throw new AppError('grid.not_found', 404, 'No such grid in this town.');
      const place = { gridId: body.gridId, communityId: grid.communityId };
      if (!mayProposeCorrection(principal, place))
        throw new AppError('correction.out_of_scope', 403, 'This household is not within your grids or communities.', {
          field: 'body.gridId',
        });
      if (!household) throw unknown('correction.unknown_household', 'No such household in this grid.', 'body.householdId');
      if (body.personId && person?.status !== 'active')
        throw unknown('correction.unknown_person', 'No such person living in this household.', 'body.personId');
      if (body.visitId && !visit) throw unknown('correction.unknown_visit', 'No such visit of this household.', 'body.visitId');
      let phone: { phoneEnc: string; phoneMasked: string } | undefined;
      if (body.phone !== undefined) {
        const checked = checkPhone(body.phone);
        if (!checked.ok) throw new AppError(checked.reason, 400, checked.message.en, { field: 'body.phone' });
        const vault = await townVault(townId);
        phone = { phoneEnc: vault.encrypt('phone', checked.value), phoneMasked: maskPhone(checked.value) };
      }
      const correctionId = newId(Date.parse(now)).toLowerCase();
      const c: StoredCorrection = {
        correctionId,
        status: 'open',
        kind: body.kind,
        gridId: body.gridId,
        communityId: grid.communityId,
        householdId: body.householdId,
        ...(body.personId ? { personId: body.personId } : {}),
        ...(body.visitId ? { visitId: body.visitId } : {}),
        ...(phone ?? {}),
        ...(body.note ? { note: maskNumbersInText(body.note) } : {}),
        proposedBy: principal.username,
        proposedAt: now,
        version: 1,
      };
      await commitChange({
        writes: [{ kind: 'create', item: correctionItem(townId, c), conflictCode: 'correction.exists' }],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'correction.propose',
            target: correctionId,
            at: now,
            details: { kind: c.kind, gridId: c.gridId, householdId: c.householdId, ...(c.personId ? { personId: c.personId } : {}) },
          }),
        ],
      });
      return correctionView(correctionItem(townId, c));
    },

    /** One page of a status's corrections, newest first (one Query), keeping those the caller may see. */
    async list(q: CorrectionListQuery): Promise<CorrectionPage> {
      const page = await queryPage<Item>({
        pk: k.correctionStatusPk(q.status),
        index: 'gsi1',
        limit: q.limit,
        cursor: q.cursor,
        listing: `corrections.${q.status}`,
        forward: false,
      });
      const items = page.items.map(correctionView).filter((c) => maySeeCorrection(principal, c));
      return { items, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
    },

    /**
     * Accepts or rejects a correction at the version read. Accepting a phone sets the person's phone
     * through the book's own change, accepting a move or death closes the person through the book's
     * close — each in ONE transaction with the correction, so neither happens without the other.
     */
    async decide(correctionId: string, input: CorrectionDecision, now: string): Promise<CorrectionView> {
      const c = await read(correctionId);
      const decision = decideCorrection(c, input, principal, now);
      if (!decision.ok) {
        const r = decision.refusal;
        throw new AppError(r.code, r.status, r.message, r.field ? { field: r.field } : {});
      }
      const after: StoredCorrection = { ...c, ...decision.after };
      const write: Write = { kind: 'replace', item: correctionItem(townId, after), version: c.version };
      let change: Change = { writes: [], audit: [] };
      const effect = decision.effect;
      if (effect.book !== 'none') {
        const r = bookReads(principal);
        await r.gridInScope(c.gridId);
        const before: StoredPerson = await r.person(c.gridId, c.householdId, c.personId as string);
        if (before.status !== 'active')
          throw new AppError('correction.person_closed', 409, 'This person’s record is closed already; reject the correction.', {
            field: 'body.decision',
          });
        if (effect.book === 'set_phone') {
          const next: StoredPerson = {
            ...before,
            phoneEnc: c.phoneEnc as string,
            phoneMasked: c.phoneMasked as string,
            version: before.version + 1,
            updatedAt: now,
          };
          change = r.changes.replaceChange(before, next, now, { correctionId });
        } else {
          const plan = planClose(before, { reason: effect.reason, on: visitDay(now) }, 'close');
          const closed: StoredPerson = { ...plan.after, updatedAt: now };
          change = r.changes.personChange({ ...plan, after: closed }, before.version, now);
        }
      }
      try {
        await commitChange({
          ...change,
          writes: [write, ...change.writes],
          audit: [
            ...change.audit,
            auditEntry(k.audit, {
              actor: principal.username,
              action: `correction.${input.decision}`,
              target: correctionId,
              at: now,
              details: { kind: c.kind, ...(input.reason ? { reason: input.reason } : {}) },
            }),
          ],
        });
      } catch (e) {
        if (e instanceof AppError && e.status === 409)
          throw new AppError('correction.changed', 409, 'This correction or its person changed meanwhile; reload it.', {
            field: 'body.version',
          });
        throw e;
      }
      return correctionView(correctionItem(townId, after));
    },
  };
}
