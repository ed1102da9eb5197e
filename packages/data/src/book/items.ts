import type { BookHousehold, BookPerson, HouseholdView, PersonView } from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/** What the store keeps of a person: the view's fields plus ciphertexts and the ID's keyed hash. */
export type StoredPerson = BookPerson & {
  idEnc: string;
  idHash: string;
  phoneEnc?: string;
  createdAt: string;
  updatedAt: string;
};
/** What the store keeps of a household. */
export type StoredHousehold = BookHousehold & { createdAt: string; updatedAt?: string };

/**
 * The items of one town's population book, each with its keys and index keys: the one place that
 * says how a person, a household, their locks and index entries are laid out (keys from `keys.ts`).
 */
export function bookItems(townId: string) {
  const k = townKeys(townId);
  /** What a tag entry repeats of its person, so a tag listing needs no second read for a summary. */
  const entrySummary = (p: StoredPerson) => ({
    personId: p.personId,
    gridId: p.gridId,
    householdId: p.householdId,
    name: p.name,
    idMasked: p.idMasked,
  });
  return {
    keys: k,
    /** A person's record, indexed by residence type (gsi1) and by the first character of the name (gsi2). */
    person: (p: StoredPerson): Item & Key => ({
      ...k.person(p.gridId, p.householdId, p.personId),
      type: 'Person',
      gsi1pk: k.residenceIndexPk(p.residenceType),
      gsi1sk: `${p.gridId}#${p.personId}`,
      gsi2pk: k.nameIndexPk(p.name),
      gsi2sk: `${p.name}#${p.personId}`,
      ...p,
    }),
    /** Index entries of a person: one per tag (special and key groups), keyed by grid so they move with them. */
    tagEntries: (p: StoredPerson): Array<Item & Key> => [
      ...p.tags.map((t) => ({ ...k.tagEntry(t, p.gridId, p.personId), type: 'TagEntry', ...entrySummary(p) })),
      ...p.keyTags.map((t) => ({ ...k.keyTagEntry(t, p.gridId, p.personId), type: 'TagEntry', ...entrySummary(p) })),
    ],
    /** The ID-number lock: uniqueness in the town, and where the person lives now. */
    idLock: (p: Pick<StoredPerson, 'idHash' | 'personId' | 'gridId' | 'householdId'>): Item & Key => ({
      ...k.idLock(p.idHash),
      type: 'IdLock',
      personId: p.personId,
      gridId: p.gridId,
      householdId: p.householdId,
    }),
    /** A household's record, indexed by courtyard (gsi1) when it has one. */
    household: (h: StoredHousehold): Item & Key => ({
      ...k.household(h.gridId, h.householdId),
      type: 'Household',
      ...(h.courtyardId ? { gsi1pk: k.courtyardIndexPk(h.courtyardId), gsi1sk: h.householdId } : {}),
      ...h,
    }),
    /** The index attributes a household takes when its courtyard becomes `courtyardId`. */
    householdYardIndex: (courtyardId: string, householdId: string) => ({ gsi1pk: k.courtyardIndexPk(courtyardId), gsi1sk: householdId }),
    /** The 户编号 lock: unique in the town, pointing at its household. */
    householdCode: (code: string, gridId: string, householdId: string): Item & Key => ({
      ...k.householdCode(code),
      type: 'HouseholdCode',
      gridId,
      householdId,
    }),
    /** One entry of a person's history. */
    personEvent: (personId: string, at: string, eventId: string, actor: string, e: Item): Item & Key => ({
      ...k.personEvent(personId, at, eventId),
      type: 'PersonEvent',
      eventId,
      at,
      actor,
      ...e,
    }),
  };
}
export type BookItems = ReturnType<typeof bookItems>;

/** A person's record as a response shows it: no ciphertexts or hash; key-group tags only with the permission. */
export function personView(item: Item, seesKeyGroups: boolean): PersonView {
  const { idEnc: _i, idHash: _h, phoneEnc: _p, createdAt: _c, updatedAt: _u, keyTags, ...rest } = publicFields<StoredPerson>(item);
  return { ...rest, ...(seesKeyGroups ? { keyTags } : {}) } as PersonView;
}

/** A household's record as a response shows it. */
export function householdView(item: Item): HouseholdView {
  const { createdAt: _c, updatedAt: _u, ...rest } = publicFields<StoredHousehold>(item);
  return rest as HouseholdView;
}
