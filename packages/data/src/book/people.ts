import { checkIdNumber, checkPhone, maskIdNumber, maskPhone } from '@gridline/book';
import {
  AppError,
  checkArrivalGiven,
  checkAtVersion,
  checkGenderAgreement,
  checkHouseholdOpen,
  checkKeyTagChange,
  checkTagsKnown,
  correctedPerson,
  moveTarget,
  type NewPerson,
  newId,
  type PersonCorrection,
  type PersonView,
  planArrival,
  planClose,
  planMove,
  REVEALS_PER_HOUR,
  type TownPrincipal,
} from '@gridline/domain';
import { commitChange, getItem, type Item, type Page, publicFields, queryAll, queryPage } from '../ops';
import { townVault } from '../vault';
import type { StoredPerson } from './items';
import { householdsOf } from './households';
import { type BookReads, bookReads } from './reads';
import { searchOf } from './search';

/**
 * The population book of one town as one caller may use it: households (`households.ts`), people
 * (below) and search (`search.ts`). Rules come from `@gridline/domain` (book/rules); the
 * transactions they commit are built in `changes.ts` from the items of `items.ts`.
 */
export function bookOf(principal: TownPrincipal) {
  const reads = bookReads(principal);
  const c = reads.changes;
  return {
    /** For the importer: the same transactions the routes commit, so imported records are indistinguishable. */
    changes: {
      newPersonChange: c.newPersonChange,
      newHouseholdChange: c.newHouseholdChange,
      replaceChange: c.replaceChange,
      personItem: c.items.person,
      view: reads.view,
    },
    ...householdsOf(reads),
    ...peopleOf(reads),
    search: searchOf(reads),
  };
}

export type Book = ReturnType<typeof bookOf>;

const bad = (code: string, message: string, field: string) => new AppError(code, 400, message, { field });

/** A phone as entered, checked and normalised; empty means none. */
function checkedPhone(raw: string | undefined | null): string | undefined {
  if (raw === undefined || raw === null || raw.trim() === '') return undefined;
  const phone = checkPhone(raw);
  if (!phone.ok) throw bad(phone.reason, phone.message.en, 'body.phone');
  return phone.value;
}

/**
 * The people of one caller's book: added, listed, read, corrected, moved, closed, revealed. ID numbers
 * and phones are checked, then stored only encrypted (with a keyed hash of the ID for look-up and
 * uniqueness) and shown only masked.
 */
export function peopleOf(r: BookReads) {
  const { k, principal } = r;
  const townId = principal.townId;

  async function addPerson(gridId: string, householdId: string, input: NewPerson, now: string): Promise<PersonView> {
    await r.gridInScope(gridId);
    const id = checkIdNumber(input.idNumber);
    if (!id.ok) throw bad(id.reason, id.message.en, 'body.idNumber');
    checkGenderAgreement(id.gender, input.gender);
    const phone = checkedPhone(input.phone);
    checkArrivalGiven(input.residenceType, input.floating);
    checkKeyTagChange(principal, input.keyTags);
    checkTagsKnown(await r.tagCatalogue(), input.tags, input.keyTags);
    await r.assertLandlord(input.floating, undefined);
    const home = checkHouseholdOpen(await r.household(gridId, householdId));
    const vault = await townVault(townId);
    const idHash = vault.lookupHash('idNumber', id.value);
    const p: StoredPerson = {
      personId: `p-${newId(Date.parse(now)).toLowerCase()}`,
      householdId,
      gridId,
      communityId: home.communityId,
      ...(home.courtyardId ? { courtyardId: home.courtyardId } : {}),
      name: input.name,
      gender: input.gender,
      ...(input.ethnicity ? { ethnicity: input.ethnicity } : {}),
      birthDate: id.birthDate,
      idMasked: maskIdNumber(id.value),
      idEnc: vault.encrypt('idNumber', id.value),
      idHash,
      ...(phone ? { phoneMasked: maskPhone(phone), phoneEnc: vault.encrypt('phone', phone) } : {}),
      relation: input.relation,
      residenceType: input.residenceType,
      tags: [...new Set(input.tags)],
      keyTags: [...new Set(input.keyTags)],
      ...(input.floating ? { floating: input.floating } : {}),
      status: 'active',
      ...(input.note ? { note: input.note } : {}),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await r.commitPersonChange(r.changes.newPersonChange(p, now, home.version), undefined, p, now);
    } catch (e) {
      if (e instanceof AppError && e.code === 'person.duplicate_id')
        throw new AppError('person.duplicate_id', 409, await r.duplicateMessage(idHash), { field: 'body.idNumber' });
      throw e;
    }
    return r.view(r.changes.items.person(p));
  }

  async function changePerson(
    gridId: string,
    householdId: string,
    personId: string,
    input: PersonCorrection & { version: number; phone?: string | null | undefined },
    now: string,
  ): Promise<PersonView> {
    await r.gridInScope(gridId);
    const before = await r.person(gridId, householdId, personId);
    checkAtVersion(before, input.version, 'person.closed', 'This record is closed.');
    checkKeyTagChange(principal, input.keyTags, before.keyTags);
    checkTagsKnown(await r.tagCatalogue(), input.tags ?? before.tags, input.keyTags ?? before.keyTags);
    await r.assertLandlord(input.floating, before.floating);
    const vault = input.phone ? await townVault(townId) : undefined;
    const phone = checkedPhone(input.phone);
    const after: StoredPerson = { ...correctedPerson(before, input), updatedAt: now };
    if (input.phone === null) {
      delete after.phoneEnc;
      delete after.phoneMasked;
    } else if (phone && vault) {
      after.phoneEnc = vault.encrypt('phone', phone);
      after.phoneMasked = maskPhone(phone);
    }
    await r.commitPersonChange(r.changes.replaceChange(before, after, now), before, after, now);
    return r.view(r.changes.items.person(after));
  }

  async function closePerson(
    gridId: string,
    householdId: string,
    personId: string,
    input: { version: number; reason: 'died' | 'moved_away'; on: string; note?: string | undefined },
    now: string,
    as: 'close' | 'departure' = 'close',
  ): Promise<PersonView> {
    await r.gridInScope(gridId);
    const before = await r.person(gridId, householdId, personId);
    const plan = planClose(before, input, as);
    const after: StoredPerson = { ...plan.after, updatedAt: now };
    // The version is checked by the transaction alone: closing twice at once lets one through.
    await r.commitPersonChange(r.changes.personChange({ ...plan, after }, input.version, now), before, after, now);
    return r.view(r.changes.items.person(after));
  }

  async function movePerson(
    gridId: string,
    householdId: string,
    personId: string,
    input: {
      version: number;
      kind: 'arrival' | 'departure' | 'within_town' | 'to_household';
      on: string;
      toGridId?: string | undefined;
      toHouseholdId?: string | undefined;
      origin?: string | undefined;
      note?: string | undefined;
    },
    now: string,
  ): Promise<PersonView> {
    await r.gridInScope(gridId);
    const before = await r.person(gridId, householdId, personId);
    checkAtVersion(before, input.version, 'person.closed', 'This record is closed.');
    if (input.kind === 'departure')
      return closePerson(
        gridId,
        householdId,
        personId,
        { version: input.version, reason: 'moved_away', on: input.on, ...(input.note ? { note: input.note } : {}) },
        now,
        'departure',
      );
    const plan =
      input.kind === 'arrival'
        ? planArrival(before, input)
        : await (async () => {
            const to = moveTarget(before, input);
            if (to.gridId !== gridId) await r.gridInScope(to.gridId);
            const target = checkHouseholdOpen(await r.household(to.gridId, to.householdId), 'The target household is closed.');
            return planMove(before, target, { kind: input.kind as 'within_town' | 'to_household', on: input.on, note: input.note });
          })();
    const after: StoredPerson = { ...plan.after, updatedAt: now };
    await r.commitPersonChange(r.changes.personChange({ ...plan, after }, input.version, now), before, after, now);
    return r.view(r.changes.items.person(after));
  }

  return {
    addPerson,

    async listPeople(gridId: string, limit: number, cursor: string | undefined): Promise<Page<PersonView>> {
      await r.gridInScope(gridId);
      const page = await queryPage<Item>({ pk: k.peoplePk(gridId), limit, cursor, listing: `people:${gridId}` });
      return { items: page.items.map(r.view), nextCursor: page.nextCursor };
    },

    async getPerson(gridId: string, householdId: string, personId: string) {
      await r.gridInScope(gridId);
      const p = await getItem<Item>(k.person(gridId, householdId, personId));
      if (!p) throw new AppError('person.not_found', 404, 'No such person in this household.');
      const events = await queryAll<Item>(k.personEventsPk(personId));
      return { person: r.view(p), events: events.map((e) => publicFields<Item>(e)) };
    },

    changePerson,
    movePerson,
    closePerson,

    /**
     * Shows an ID number or phone in full: needs a reason, is limited per user and hour, and leaves an
     * audit entry in the same transaction as the quota it uses (no reveal without its record).
     */
    async reveal(gridId: string, householdId: string, personId: string, field: 'idNumber' | 'phone', reason: string, now: string) {
      await r.gridInScope(gridId);
      const p = await r.person(gridId, householdId, personId);
      const sealed = field === 'idNumber' ? p.idEnc : p.phoneEnc;
      if (!sealed) throw new AppError('person.no_phone', 404, 'No phone number is recorded.');
      try {
        await commitChange(r.changes.revealChange(personId, field, reason, now, REVEALS_PER_HOUR));
      } catch (e) {
        if (e instanceof AppError && e.code === 'quota.exceeded')
          throw new AppError('reveal.rate_limited', 429, `At most ${REVEALS_PER_HOUR} reveals an hour; try again later.`);
        throw e;
      }
      const vault = await townVault(townId);
      return { field, value: vault.decrypt(field, sealed) };
    },
  };
}
