import {
  AppError,
  checkGridFound,
  checkGridReach,
  checkLandlordHome,
  landlordToCheck,
  type PersonView,
  seesKeyGroups,
  type TagCatalogue,
  type TownPrincipal,
} from '@gridline/domain';
import { type Change, commitChange, getItem, type Item, publicFields, queryAll } from '../ops';
import { type TagMove, visitStateHook } from '../visits/hook';
import { bookChanges } from './changes';
import { householdView, personView, type StoredHousehold, type StoredPerson } from './items';

type GridItem = { gridId: string; communityId: string; status?: string };

/**
 * What every book operation of one caller shares: their keys, items and transaction builders, and
 * the reads the rules need (a grid in scope, a household, a person, the tag catalogue).
 */
export function bookReads(principal: TownPrincipal) {
  const changes = bookChanges(principal.townId, principal.username);
  const k = changes.items.keys;
  const keyGroups = seesKeyGroups(principal);

  /** The grid, refused unless it is the town's and within the caller's scope. */
  async function gridInScope(gridId: string): Promise<GridItem> {
    checkGridReach(principal, gridId);
    return checkGridFound(principal, await getItem<GridItem>(k.grid(gridId)));
  }

  /** A household as stored, read consistently (the rules decide on it), or undefined. */
  async function findHousehold(gridId: string, householdId: string): Promise<StoredHousehold | undefined> {
    const item = await getItem<Item>(k.household(gridId, householdId), { consistent: true });
    return item ? publicFields<StoredHousehold>(item) : undefined;
  }

  async function household(gridId: string, householdId: string): Promise<StoredHousehold> {
    const h = await findHousehold(gridId, householdId);
    if (!h) throw new AppError('household.not_found', 404, 'No such household in this grid.');
    return h;
  }

  async function person(gridId: string, householdId: string, personId: string): Promise<StoredPerson> {
    const item = await getItem<Item>(k.person(gridId, householdId, personId), { consistent: true });
    if (!item) throw new AppError('person.not_found', 404, 'No such person in this household.');
    return publicFields<StoredPerson>(item);
  }

  /**
   * A household's members as they stand, read consistently: a change that rewrites them all (the
   * household's courtyard) must not miss one added a moment ago.
   */
  async function membersOf(gridId: string, householdId: string): Promise<StoredPerson[]> {
    const items = await queryAll<Item>(k.peoplePk(gridId), `${householdId}#`, { consistent: true });
    return items.map((i) => publicFields<StoredPerson>(i));
  }

  /** The town's tag catalogue (special and key groups) from its configuration. */
  async function tagCatalogue(): Promise<TagCatalogue> {
    const config = await queryAll<{ part: string; value: Array<{ id: string }> }>(k.configPk);
    const ids = (part: string) => (config.find((c) => c.part === part)?.value ?? []).map((t) => t.id);
    return { specialGroups: ids('specialGroups'), keyGroups: ids('keyGroups') };
  }

  async function isSpecialGroup(tag: string): Promise<boolean> {
    const special = await getItem<{ value: Array<{ id: string }> }>(k.config('specialGroups'));
    return (special?.value ?? []).some((t) => t.id === tag);
  }

  /** The landlord household a floating person names, when it changes: in a grid the caller reaches, still active. */
  async function assertLandlord(next: PersonView['floating'] | null | undefined, current: PersonView['floating'] | undefined) {
    const home = landlordToCheck(next, current);
    if (!home) return;
    await gridInScope(home.gridId);
    checkLandlordHome(await getItem<Item & { status: 'active' | 'closed' }>(k.household(home.gridId, home.householdId)));
  }

  /** Where an ID number already in the book lives, for the message refusing a duplicate. */
  async function duplicateMessage(hash: string): Promise<string> {
    const lock = await getItem<{ gridId: string; householdId: string; personId: string }>(k.idLock(hash), { consistent: true });
    return lock
      ? `This ID number is already in the book: grid ${lock.gridId}, household ${lock.householdId}, person ${lock.personId}.`
      : 'This ID number is already in the book.';
  }

  const visits = visitStateHook(principal.townId, principal.username);

  /**
   * Commits a book change with the visit states it moves, in the same transaction (`extend` adds their
   * writes to the change, reading the states). A state written meanwhile (a visit) is read again and
   * the change tried again; a conflict on the book's own records stays a 409.
   */
  async function commitWithVisits(change: Change, extend: (c: Change) => Promise<Change>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const full = await extend(change);
      try {
        await commitChange(full);
        return;
      } catch (e) {
        const touchesStates = full.writes.length > change.writes.length;
        if (!(e instanceof AppError) || e.code !== 'conflict.version' || !touchesStates || attempt >= 2) throw e;
      }
    }
  }

  /** Commits a person's change with their tags moved on the visit states of the households concerned. */
  const commitPersonChange = (change: Change, before: StoredPerson | undefined, after: StoredPerson | undefined, now: string) =>
    commitWithVisits(change, (c) => visits.withTagMoves(c, tagMovesOf(before, after), now));

  return {
    principal,
    k,
    changes,
    visits,
    commitWithVisits,
    commitPersonChange,
    view: (item: Item): PersonView => personView(item, keyGroups),
    householdView,
    gridInScope,
    findHousehold,
    household,
    person,
    membersOf,
    tagCatalogue,
    isSpecialGroup,
    assertLandlord,
    duplicateMessage,
  };
}
export type BookReads = ReturnType<typeof bookReads>;

/** A person's tags leaving the household they were in (when active) and joining the one they are in (when active). */
export function tagMovesOf(before: StoredPerson | undefined, after: StoredPerson | undefined): TagMove[] {
  const moves: TagMove[] = [];
  const of = (p: StoredPerson) => [...p.tags, ...p.keyTags];
  if (before && before.status === 'active')
    moves.push({ gridId: before.gridId, householdId: before.householdId, tags: of(before), delta: -1 });
  if (after && after.status === 'active') moves.push({ gridId: after.gridId, householdId: after.householdId, tags: of(after), delta: 1 });
  return moves;
}
