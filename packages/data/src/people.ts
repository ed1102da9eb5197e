import { checkIdNumber, checkPhone, maskIdNumber, maskPhone } from '@gridline/book';
import {
  AppError,
  type HouseholdChange,
  type HouseholdClose,
  type HouseholdView,
  hasPermission,
  type NewHousehold,
  type NewPerson,
  newId,
  type PersonView,
  type ResidenceType,
  type TownPrincipal,
  KEY_GROUPS_PERMISSION,
} from '@gridline/domain';
import { auditEntry } from './audit';
import { type Key, townKeys } from './keys';
import {
  type Change,
  type CounterMove,
  commitChange,
  getItem,
  type Item,
  MAX_TRANSACTION_ITEMS,
  type Page,
  publicFields,
  queryAll,
  queryPage,
  type Write,
} from './ops';
import { townVault } from './vault';

/** What the store keeps of a person: the view's fields plus ciphertexts and the ID's keyed hash. */
export type StoredPerson = PersonView & {
  idEnc: string;
  idHash: string;
  phoneEnc?: string;
  keyTags: string[];
  createdAt: string;
  updatedAt: string;
};
export type StoredHousehold = HouseholdView & { createdAt: string; updatedAt?: string };
type GridItem = { gridId: string; communityId: string; status?: string };

export { KEY_GROUPS_PERMISSION };
export const REVEALS_PER_HOUR = 20;

const bad = (code: string, message: string, field: string) => new AppError(code, 400, message, { field });

/** Counter moves for one person entering (+1) or leaving (-1) the counts of their town, grid and courtyard. */
function personCounters(
  k: ReturnType<typeof townKeys>,
  p: Pick<StoredPerson, 'gridId' | 'courtyardId' | 'residenceType' | 'tags' | 'keyTags'>,
  sign: 1 | -1,
): CounterMove[] {
  const byKind: Record<string, number> = { people: sign, [`res_${p.residenceType}`]: sign, ...(p.tags.length ? { special: sign } : {}) };
  for (const t of p.tags) byKind[`tag_${t}`] = sign;
  const keyGroups: Record<string, number> = {};
  for (const t of p.keyTags) keyGroups[`ktag_${t}`] = sign;
  return [
    // Key groups are counted for the town only (totals, never per grid).
    { key: k.counters('TOWN'), deltas: { ...byKind, ...keyGroups } },
    { key: k.counters(`GRID#${p.gridId}`), deltas: byKind },
    ...(p.courtyardId ? [{ key: k.counters(`YARD#${p.courtyardId}`), deltas: byKind }] : []),
  ];
}

/**
 * The population book of one town: households and people, their indexes, counters and history.
 * ID numbers and phones are checked, then stored only encrypted (with a keyed hash of the ID for
 * look-up and uniqueness) and shown only masked.
 */
export function bookOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const k = townKeys(townId);
  const seesKeyGroups = hasPermission(principal, KEY_GROUPS_PERMISSION);

  const view = (item: Item): PersonView => {
    const { idEnc: _i, idHash: _h, phoneEnc: _p, createdAt: _c, updatedAt: _u, keyTags, ...rest } = publicFields<StoredPerson>(item);
    return { ...rest, ...(seesKeyGroups ? { keyTags } : {}) } as PersonView;
  };
  const householdView = (item: Item) => {
    const { createdAt: _c, updatedAt: _u, ...rest } = publicFields<StoredHousehold>(item);
    return rest as HouseholdView;
  };

  /** The grid, refused unless it is the town's, active, and within the caller's scope. */
  async function gridInScope(gridId: string): Promise<GridItem> {
    if (principal.role === 'grid_coordinator' && !principal.scope.grids.includes(gridId))
      throw new AppError('scope.grid', 403, 'This grid is not yours.');
    const grid = await getItem<GridItem>(k.grid(gridId));
    if (!grid) throw new AppError('grid.not_found', 404, 'No such grid in this town.');
    if (principal.role === 'community_staff' && !principal.scope.communities.includes(grid.communityId))
      throw new AppError('scope.grid', 403, 'This grid is not in your community.');
    return grid;
  }

  async function household(gridId: string, householdId: string): Promise<StoredHousehold> {
    const item = await getItem<Item>(k.household(gridId, householdId), { consistent: true });
    if (!item) throw new AppError('household.not_found', 404, 'No such household in this grid.');
    return publicFields<StoredHousehold>(item);
  }

  /**
   * A household's members as they stand, read consistently: a change that rewrites them all (the
   * household's courtyard) must not miss one added a moment ago.
   */
  async function membersOf(gridId: string, householdId: string): Promise<StoredPerson[]> {
    const items = await queryAll<Item>(k.peoplePk(gridId), `${householdId}#`, { consistent: true });
    return items.map((i) => publicFields<StoredPerson>(i));
  }

  /**
   * The landlord household (房东户) a floating person names, when it changes: a household of a grid the
   * caller may reach, still active. An unchanged reference is not checked again (it may have closed since).
   */
  async function assertLandlord(next: PersonView['floating'] | null | undefined, current: PersonView['floating'] | undefined) {
    const householdId = next?.landlordHouseholdId;
    const gridId = next?.landlordGridId;
    if (!householdId || !gridId) return;
    if (householdId === current?.landlordHouseholdId && gridId === current?.landlordGridId) return;
    await gridInScope(gridId);
    const home = await getItem<Item>(k.household(gridId, householdId));
    const field = 'body.floating.landlordHouseholdId';
    if (!home) throw new AppError('household.not_found', 404, 'No such landlord household in that grid.', { field });
    if (home.status !== 'active') throw new AppError('household.closed', 409, 'The landlord household is closed.', { field });
  }

  async function person(gridId: string, householdId: string, personId: string): Promise<StoredPerson> {
    const item = await getItem<Item>(k.person(gridId, householdId, personId), { consistent: true });
    if (!item) throw new AppError('person.not_found', 404, 'No such person in this household.');
    return publicFields<StoredPerson>(item);
  }

  function assertKeyTagsAllowed(keyTags: string[] | undefined, current: string[] = []) {
    const changes = keyTags !== undefined && (keyTags.length !== current.length || keyTags.some((t) => !current.includes(t)));
    if (changes && !seesKeyGroups) throw new AppError('person.key_groups_forbidden', 403, 'Key-group tags need an explicit permission.');
  }

  async function assertKnownTags(tags: string[], keyTags: string[]) {
    const config = await queryAll<{ part: string; value: Array<{ id: string }> }>(k.configPk);
    const ids = (part: string) => new Set((config.find((c) => c.part === part)?.value ?? []).map((t) => t.id));
    const special = ids('specialGroups');
    const key = ids('keyGroups');
    const unknown = tags.find((t) => !special.has(t));
    if (unknown) throw bad('person.unknown_tag', `"${unknown}" is not one of this town's special groups.`, 'body.tags');
    const unknownKey = keyTags.find((t) => !key.has(t));
    if (unknownKey) throw bad('person.unknown_tag', `"${unknownKey}" is not one of this town's key groups.`, 'body.keyTags');
  }

  function checkedPhone(raw: string | undefined | null): string | undefined {
    if (raw === undefined || raw === null || raw.trim() === '') return undefined;
    const phone = checkPhone(raw);
    if (!phone.ok) throw bad(phone.reason, phone.message.en, 'body.phone');
    return phone.value;
  }

  /** Index entries of a person: one per tag (special and key groups), keyed by grid so they move with them. */
  const tagEntries = (p: StoredPerson): Array<Item & Key> => [
    ...p.tags.map((t) => ({ ...k.tagEntry(t, p.gridId, p.personId), type: 'TagEntry', ...entrySummary(p) })),
    ...p.keyTags.map((t) => ({ ...k.keyTagEntry(t, p.gridId, p.personId), type: 'TagEntry', ...entrySummary(p) })),
  ];
  /** Index writes taking a person's tag entries from `before` to `after`: drop the gone, (re)write the rest. */
  const entryChanges = (before: StoredPerson, after: StoredPerson | undefined): Write[] => {
    const next = after && after.status === 'active' ? tagEntries(after) : [];
    const keep = new Set(next.map((e) => `${e.pk}|${e.sk}`));
    return [
      ...tagEntries(before)
        .filter((e) => !keep.has(`${e.pk}|${e.sk}`))
        .map((e): Write => ({ kind: 'remove', key: { pk: e.pk, sk: e.sk } })),
      ...next.map((item): Write => ({ kind: 'put', item })),
    ];
  };
  const entrySummary = (p: StoredPerson) => ({
    personId: p.personId,
    gridId: p.gridId,
    householdId: p.householdId,
    name: p.name,
    idMasked: p.idMasked,
  });
  const personItem = (p: StoredPerson): Item & Key => ({
    ...k.person(p.gridId, p.householdId, p.personId),
    type: 'Person',
    gsi1pk: k.residenceIndexPk(p.residenceType),
    gsi1sk: `${p.gridId}#${p.personId}`,
    gsi2pk: k.nameIndexPk(p.name),
    gsi2sk: `${p.name}#${p.personId}`,
    ...p,
  });
  const event = (personId: string, now: string, e: Item, eventId = newId(Date.parse(now))): Write => {
    return {
      kind: 'put',
      item: { ...k.personEvent(personId, now, eventId), type: 'PersonEvent', eventId, at: now, actor: principal.username, ...e },
    };
  };
  const audit = (action: string, target: string, now: string, details?: Item) =>
    auditEntry(k.audit, { actor: principal.username, action, target, at: now, ...(details ? { details } : {}) });

  /**
   * The household's member count moves only while it is active (and, when the caller read it, at that
   * version, so a person never joins with a courtyard the household no longer has): a household closed
   * or changed meanwhile fails the whole change.
   */
  const joinHousehold = (gridId: string, householdId: string, version?: number): CounterMove => ({
    key: k.household(gridId, householdId),
    deltas: { members: 1 },
    onlyIf:
      version === undefined
        ? { expect: { status: 'active' }, code: 'household.closed', message: 'This household is closed.' }
        : {
            expect: { status: 'active', version },
            code: 'household.changed',
            message: 'The household was changed or closed meanwhile; reload and try again.',
          },
  });

  /**
   * The transaction that adds one person: ID lock, record, tag entries, event, audit, member count,
   * counters. A floating resident registered with an arrival date has arrived then: an `arrival` event
   * on that day and the month's arrivals counter, as a recorded arrival move gives.
   */
  function newPersonChange(p: StoredPerson, now: string, householdVersion?: number): Change {
    const arrived = p.residenceType === 'floating' ? p.floating?.arrivalDate : undefined;
    const createdId = newId(Date.parse(now));
    return {
      writes: [
        {
          kind: 'create',
          item: { ...k.idLock(p.idHash), type: 'IdLock', personId: p.personId, gridId: p.gridId, householdId: p.householdId },
          conflictCode: 'person.duplicate_id',
        },
        { kind: 'create', item: personItem(p) },
        ...tagEntries(p).map((item): Write => ({ kind: 'put', item })),
        event(p.personId, now, { kind: 'created', on: now.slice(0, 10), to: { gridId: p.gridId, householdId: p.householdId } }, createdId),
        // Listed right after `created` (same instant, an id that sorts after its id).
        ...(arrived ? [event(p.personId, now, { kind: 'arrival', on: arrived }, `${createdId}~arrival`)] : []),
      ],
      audit: [audit('person.create', p.personId, now)],
      counters: [
        joinHousehold(p.gridId, p.householdId, householdVersion),
        ...personCounters(k, p, 1),
        ...(arrived ? [{ key: k.counters(`MONTH#${arrived.slice(0, 7)}`), deltas: { arrivals: 1 } }] : []),
      ],
    };
  }

  /** The transaction that rewrites one person in place (same grid and household): record, tag entries, event, counters. */
  function replaceChange(before: StoredPerson, after: StoredPerson, now: string, details: Item = {}): Change {
    const fields = (Object.keys(after) as Array<keyof StoredPerson>).filter(
      (f) => !['version', 'updatedAt', 'idEnc', 'phoneEnc'].includes(f) && JSON.stringify(before[f]) !== JSON.stringify(after[f]),
    );
    return {
      writes: [
        { kind: 'replace', item: personItem(after), version: before.version },
        ...entryChanges(before, after),
        event(after.personId, now, { kind: 'changed', on: now.slice(0, 10), fields, ...details }),
      ],
      audit: [audit('person.change', after.personId, now, { fields, ...details })],
      counters: [...personCounters(k, before, -1), ...personCounters(k, after, 1)],
    };
  }

  /** The transaction that adds one household: record (indexed by courtyard), its code's lock, audit, counters. */
  function newHouseholdChange(h: StoredHousehold): Change {
    const writes: Write[] = [
      {
        kind: 'create',
        item: {
          ...k.household(h.gridId, h.householdId),
          type: 'Household',
          ...(h.courtyardId ? { gsi1pk: k.courtyardIndexPk(h.courtyardId), gsi1sk: h.householdId } : {}),
          ...h,
        },
      },
    ];
    if (h.courtyardId)
      writes.push({
        kind: 'check',
        key: k.courtyard(h.courtyardId),
        code: 'courtyard.not_found',
        message: 'No such courtyard in this town (or it is retired).',
      });
    if (h.code)
      writes.push({
        kind: 'create',
        item: { ...k.householdCode(h.code), type: 'HouseholdCode', gridId: h.gridId, householdId: h.householdId },
        conflictCode: 'household.code_taken',
      });
    return {
      writes,
      audit: [audit('household.create', h.householdId, h.createdAt)],
      counters: [
        { key: k.counters('TOWN'), deltas: { households: 1 } },
        { key: k.counters(`GRID#${h.gridId}`), deltas: { households: 1 } },
        ...(h.courtyardId ? [{ key: k.counters(`YARD#${h.courtyardId}`), deltas: { households: 1 } }] : []),
      ],
    };
  }

  async function duplicateMessage(hash: string): Promise<string> {
    const lock = await getItem<{ gridId: string; householdId: string; personId: string }>(k.idLock(hash), { consistent: true });
    return lock
      ? `This ID number is already in the book: grid ${lock.gridId}, household ${lock.householdId}, person ${lock.personId}.`
      : 'This ID number is already in the book.';
  }

  return {
    /** For the importer: the same transactions the routes commit, so imported records are indistinguishable. */
    changes: { newPersonChange, newHouseholdChange, replaceChange, personItem, view },
    async createHousehold(gridId: string, input: NewHousehold, now: string): Promise<HouseholdView> {
      const grid = await gridInScope(gridId);
      if (grid.status === 'retired') throw new AppError('grid.retired', 409, 'This grid is retired.');
      const householdId = `h-${newId(Date.parse(now)).toLowerCase()}`;
      const item: StoredHousehold = {
        householdId,
        gridId,
        communityId: grid.communityId,
        ...(input.courtyardId ? { courtyardId: input.courtyardId } : {}),
        ...(input.code ? { code: input.code } : {}),
        door: input.door,
        members: 0,
        status: 'active',
        version: 1,
        createdAt: now,
      };
      await commitChange(newHouseholdChange(item));
      const { createdAt: _c, ...out } = item;
      return out;
    },

    async listHouseholds(gridId: string, limit: number, cursor: string | undefined, courtyardId?: string): Promise<Page<HouseholdView>> {
      await gridInScope(gridId);
      const page = courtyardId
        ? await queryPage<Item>({
            pk: k.courtyardIndexPk(courtyardId),
            index: 'gsi1',
            limit,
            cursor,
            listing: `households:yard:${courtyardId}`,
          })
        : await queryPage<Item>({ pk: k.householdsPk(gridId), limit, cursor, listing: `households:${gridId}` });
      return { items: page.items.filter((i) => i.gridId === gridId).map(householdView), nextCursor: page.nextCursor };
    },

    async getHousehold(gridId: string, householdId: string) {
      await gridInScope(gridId);
      const h = await getItem<Item>(k.household(gridId, householdId));
      if (!h) throw new AppError('household.not_found', 404, 'No such household in this grid.');
      const members = await queryAll<Item>(k.peoplePk(gridId), `${householdId}#`);
      return { household: householdView(h), members: members.map(view) };
    },

    /**
     * Corrects a household's address (courtyard, 户编号, door) at the version read. A new courtyard
     * takes the household's active members with it: their records, and the courtyard counters of the
     * household and of each member, move in the same transaction.
     */
    async changeHousehold(gridId: string, householdId: string, input: HouseholdChange, now: string): Promise<HouseholdView> {
      await gridInScope(gridId);
      const before = await household(gridId, householdId);
      if (before.status !== 'active') throw new AppError('household.closed', 409, 'This household is closed.');
      if (before.version !== input.version)
        throw new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
      const courtyardId = input.courtyardId === undefined ? before.courtyardId : (input.courtyardId ?? undefined);
      const code = input.code === undefined ? before.code : (input.code ?? undefined);
      const door = input.door ?? before.door;
      const yardMoves = courtyardId !== before.courtyardId;
      const fields = [
        ...(yardMoves ? ['courtyardId'] : []),
        ...(code !== before.code ? ['code'] : []),
        ...(door !== before.door ? ['door'] : []),
      ];
      // Nothing to correct: no write, no audit entry.
      if (fields.length === 0) return householdView(before);
      if (yardMoves && courtyardId) {
        const yard = await getItem<{ gridId: string; status?: string }>(k.courtyard(courtyardId), { consistent: true });
        if (!yard || yard.status === 'retired')
          throw new AppError('courtyard.not_found', 404, 'No such courtyard in this town (or it is retired).', {
            field: 'body.courtyardId',
          });
        if (yard.gridId !== gridId)
          throw bad(
            'household.courtyard_elsewhere',
            'That courtyard belongs to another grid; move the people instead.',
            'body.courtyardId',
          );
      }
      const members = yardMoves ? (await membersOf(gridId, householdId)).filter((p) => p.status === 'active') : [];
      const after: StoredHousehold = {
        ...before,
        ...(courtyardId ? { courtyardId } : {}),
        ...(code ? { code } : {}),
        door,
        version: before.version + 1,
        updatedAt: now,
      };
      if (!courtyardId) delete after.courtyardId;
      if (!code) delete after.code;
      const set: Item = { door, updatedAt: now };
      const unset: string[] = [];
      if (courtyardId) Object.assign(set, { courtyardId, gsi1pk: k.courtyardIndexPk(courtyardId), gsi1sk: householdId });
      else if (yardMoves) unset.push('courtyardId', 'gsi1pk', 'gsi1sk');
      if (code) set.code = code;
      else if (before.code) unset.push('code');
      const writes: Write[] = [
        {
          kind: 'update',
          key: k.household(gridId, householdId),
          set,
          version: before.version,
          ...(unset.length ? { unset } : {}),
          // The members read above are all there are: one joining or leaving meanwhile fails the change.
          ...(yardMoves ? { expect: { members: before.members } } : {}),
        },
      ];
      if (yardMoves && courtyardId)
        writes.push({
          kind: 'check',
          key: k.courtyard(courtyardId),
          code: 'courtyard.not_found',
          message: 'No such courtyard in this town (or it is retired).',
        });
      if (code !== before.code) {
        if (before.code) writes.push({ kind: 'remove', key: k.householdCode(before.code) });
        if (code)
          writes.push({
            kind: 'create',
            item: { ...k.householdCode(code), type: 'HouseholdCode', gridId, householdId },
            conflictCode: 'household.code_taken',
          });
      }
      const counters: CounterMove[] = [];
      if (yardMoves) {
        if (before.courtyardId) counters.push({ key: k.counters(`YARD#${before.courtyardId}`), deltas: { households: -1 } });
        if (courtyardId) counters.push({ key: k.counters(`YARD#${courtyardId}`), deltas: { households: 1 } });
      }
      for (const p of members) {
        const moved: StoredPerson = { ...p, ...(courtyardId ? { courtyardId } : {}), version: p.version + 1, updatedAt: now };
        if (!courtyardId) delete moved.courtyardId;
        writes.push(
          { kind: 'replace', item: personItem(moved), version: p.version },
          event(p.personId, now, { kind: 'changed', on: now.slice(0, 10), fields: ['courtyardId'], household: householdId }),
        );
        // Town and grid counts cancel out; only the courtyards' change.
        counters.push(...personCounters(k, p, -1), ...personCounters(k, moved, 1));
      }
      // One transaction holds at most 100 items: a household that large is refused rather than half moved.
      if (writes.length + 1 + counters.length > MAX_TRANSACTION_ITEMS)
        throw new AppError('household.too_large', 422, 'This household has too many members to move at once.');
      try {
        await commitChange({
          writes,
          audit: [
            audit('household.change', householdId, now, {
              fields,
              ...(yardMoves ? { courtyard: { from: before.courtyardId ?? null, to: courtyardId ?? null }, members: members.length } : {}),
            }),
          ],
          counters,
        });
      } catch (e) {
        if (e instanceof AppError && e.code === 'household.code_taken')
          throw new AppError('household.code_taken', 409, 'Another household of this town has that number.', { field: 'body.code' });
        throw e;
      }
      return householdView(after);
    },

    /**
     * Closes a household that nobody lives in any more. It is never deleted: it stays listed and
     * readable, marked closed with the reason and date, and leaves the household counts.
     */
    async closeHousehold(gridId: string, householdId: string, input: HouseholdClose, now: string): Promise<HouseholdView> {
      await gridInScope(gridId);
      const before = await household(gridId, householdId);
      if (before.status !== 'active') throw new AppError('household.closed', 409, 'This household is already closed.');
      if (before.version !== input.version)
        throw new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
      // The member count is maintained, but the records decide: a drifted count must not close a home people live in.
      const open = (await membersOf(gridId, householdId)).filter((p) => p.status === 'active').length;
      if (open > 0 || before.members > 0) {
        const n = Math.max(open, before.members);
        throw new AppError(
          'household.has_members',
          409,
          `${n} ${n === 1 ? 'person still lives' : 'people still live'} in this household; close their records or move them to another household first.`,
        );
      }
      const closing = {
        status: 'closed' as const,
        closedReason: input.reason,
        closedOn: input.on,
        ...(input.note ? { closedNote: input.note } : {}),
        updatedAt: now,
      };
      const after: StoredHousehold = { ...before, ...closing, version: before.version + 1 };
      await commitChange({
        writes: [
          {
            kind: 'update',
            key: k.household(gridId, householdId),
            set: closing,
            version: before.version,
            // Nobody may have joined since the count was read (joining needs the household active, see joinHousehold).
            expect: { members: 0 },
          },
        ],
        audit: [audit('household.close', householdId, now, { reason: input.reason, on: input.on })],
        counters: [
          { key: k.counters('TOWN'), deltas: { households: -1 } },
          { key: k.counters(`GRID#${gridId}`), deltas: { households: -1 } },
          ...(before.courtyardId ? [{ key: k.counters(`YARD#${before.courtyardId}`), deltas: { households: -1 } }] : []),
        ],
      });
      return householdView(after);
    },

    async addPerson(gridId: string, householdId: string, input: NewPerson, now: string): Promise<PersonView> {
      await gridInScope(gridId);
      const id = checkIdNumber(input.idNumber);
      if (!id.ok) throw bad(id.reason, id.message.en, 'body.idNumber');
      if (id.gender !== input.gender) throw bad('person.gender_mismatch', 'The gender does not match the ID number.', 'body.gender');
      const phone = checkedPhone(input.phone);
      if (input.residenceType === 'floating' && !input.floating)
        throw bad('person.arrival_required', 'A floating person needs an arrival date.', 'body.floating');
      assertKeyTagsAllowed(input.keyTags);
      await assertKnownTags(input.tags, input.keyTags);
      await assertLandlord(input.floating, undefined);
      const home = await household(gridId, householdId);
      if (home.status !== 'active') throw new AppError('household.closed', 409, 'This household is closed.');
      const vault = await townVault(townId);
      const personId = `p-${newId(Date.parse(now)).toLowerCase()}`;
      const idHash = vault.lookupHash('idNumber', id.value);
      const p: StoredPerson = {
        personId,
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
        await commitChange(newPersonChange(p, now, home.version));
      } catch (e) {
        if (e instanceof AppError && e.code === 'person.duplicate_id')
          throw new AppError('person.duplicate_id', 409, await duplicateMessage(idHash), { field: 'body.idNumber' });
        throw e;
      }
      return view(personItem(p));
    },

    async listPeople(gridId: string, limit: number, cursor: string | undefined): Promise<Page<PersonView>> {
      await gridInScope(gridId);
      const page = await queryPage<Item>({ pk: k.peoplePk(gridId), limit, cursor, listing: `people:${gridId}` });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },

    async getPerson(gridId: string, householdId: string, personId: string) {
      await gridInScope(gridId);
      const p = await getItem<Item>(k.person(gridId, householdId, personId));
      if (!p) throw new AppError('person.not_found', 404, 'No such person in this household.');
      const events = await queryAll<Item>(k.personEventsPk(personId));
      return { person: view(p), events: events.map((e) => publicFields<Item>(e)) };
    },

    async changePerson(
      gridId: string,
      householdId: string,
      personId: string,
      input: {
        version: number;
        name?: string | undefined;
        phone?: string | null | undefined;
        relation?: string | undefined;
        ethnicity?: string | undefined;
        residenceType?: ResidenceType | undefined;
        tags?: string[] | undefined;
        keyTags?: string[] | undefined;
        floating?: PersonView['floating'] | null | undefined;
        note?: string | null | undefined;
      },
      now: string,
    ): Promise<PersonView> {
      await gridInScope(gridId);
      const before = await person(gridId, householdId, personId);
      if (before.status !== 'active') throw new AppError('person.closed', 409, 'This record is closed.');
      if (before.version !== input.version)
        throw new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
      assertKeyTagsAllowed(input.keyTags, before.keyTags);
      await assertKnownTags(input.tags ?? before.tags, input.keyTags ?? before.keyTags);
      await assertLandlord(input.floating, before.floating);
      const vault = input.phone ? await townVault(townId) : undefined;
      const phone = checkedPhone(input.phone);
      const after: StoredPerson = {
        ...before,
        ...(input.name ? { name: input.name } : {}),
        ...(input.relation ? { relation: input.relation } : {}),
        ...(input.ethnicity ? { ethnicity: input.ethnicity } : {}),
        ...(input.residenceType ? { residenceType: input.residenceType } : {}),
        ...(input.tags ? { tags: [...new Set(input.tags)] } : {}),
        ...(input.keyTags ? { keyTags: [...new Set(input.keyTags)] } : {}),
        ...(input.note !== undefined ? { note: input.note ?? undefined } : {}),
        ...(input.floating !== undefined ? { floating: input.floating ?? undefined } : {}),
        version: before.version + 1,
        updatedAt: now,
      };
      if (input.phone === null) {
        delete after.phoneEnc;
        delete after.phoneMasked;
      } else if (phone && vault) {
        after.phoneEnc = vault.encrypt('phone', phone);
        after.phoneMasked = maskPhone(phone);
      }
      if (after.residenceType === 'floating' && !after.floating)
        throw bad('person.arrival_required', 'A floating person needs an arrival date.', 'body.floating');
      await commitChange(replaceChange(before, after, now));
      return view(personItem(after));
    },

    async movePerson(
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
      await gridInScope(gridId);
      const before = await person(gridId, householdId, personId);
      if (before.status !== 'active') throw new AppError('person.closed', 409, 'This record is closed.');
      if (before.version !== input.version)
        throw new AppError('conflict.version', 409, 'Someone else changed this record first; reload and try again.');
      const note = input.note ? { note: input.note } : {};
      if (input.kind === 'arrival') {
        const after: StoredPerson = {
          ...before,
          floating: { ...(before.floating ?? {}), arrivalDate: input.on, ...(input.origin ? { origin: input.origin } : {}) },
          version: before.version + 1,
          updatedAt: now,
        };
        await commitChange({
          writes: [
            { kind: 'replace', item: personItem(after), version: input.version },
            event(personId, now, { kind: 'arrival', on: input.on, ...note }),
          ],
          audit: [audit('person.arrival', personId, now)],
          counters: [{ key: k.counters(`MONTH#${input.on.slice(0, 7)}`), deltas: { arrivals: 1 } }],
        });
        return view(personItem(after));
      }
      if (input.kind === 'departure')
        return this.closePerson(
          gridId,
          householdId,
          personId,
          { version: input.version, reason: 'moved_away', on: input.on, ...note },
          now,
          'departure',
        );
      // A move to another household (within the grid or to another one): the record changes partition,
      // its indexes and counters follow, its id and history stay.
      if (!input.toGridId || !input.toHouseholdId)
        throw bad('move.target_required', 'Name the household the person moves to.', 'body.toHouseholdId');
      if (input.toGridId === gridId && input.toHouseholdId === householdId)
        throw bad('move.same_household', 'The person already lives there.', 'body.toHouseholdId');
      if (input.toGridId !== gridId) await gridInScope(input.toGridId);
      const target = await household(input.toGridId, input.toHouseholdId);
      if (target.status !== 'active') throw new AppError('household.closed', 409, 'The target household is closed.');
      const after: StoredPerson = {
        ...before,
        gridId: target.gridId,
        householdId: target.householdId,
        communityId: target.communityId,
        ...(target.courtyardId ? { courtyardId: target.courtyardId } : {}),
        version: before.version + 1,
        updatedAt: now,
      };
      if (!target.courtyardId) delete after.courtyardId;
      const change: Change = {
        writes: [
          { kind: 'delete', key: k.person(gridId, householdId, personId), version: input.version },
          { kind: 'put', item: personItem(after) },
          {
            kind: 'put',
            item: { ...k.idLock(before.idHash), type: 'IdLock', personId, gridId: after.gridId, householdId: after.householdId },
          },
          ...entryChanges(before, after),
          event(personId, now, {
            kind: input.kind,
            on: input.on,
            from: { gridId, householdId },
            to: { gridId: after.gridId, householdId: after.householdId },
            ...note,
          }),
        ],
        audit: [audit(`person.${input.kind}`, personId, now)],
        counters: [
          { key: k.household(gridId, householdId), deltas: { members: -1 } },
          joinHousehold(after.gridId, after.householdId, target.version),
          ...personCounters(k, before, -1),
          ...personCounters(k, after, 1),
        ],
      };
      await commitChange(change);
      return view(personItem(after));
    },

    async closePerson(
      gridId: string,
      householdId: string,
      personId: string,
      input: { version: number; reason: 'died' | 'moved_away'; on: string; note?: string | undefined },
      now: string,
      as: 'close' | 'departure' = 'close',
    ): Promise<PersonView> {
      await gridInScope(gridId);
      const before = await person(gridId, householdId, personId);
      if (before.status !== 'active') throw new AppError('person.closed', 409, 'This record is already closed.');
      const after: StoredPerson = { ...before, status: 'closed', closedReason: input.reason, version: before.version + 1, updatedAt: now };
      await commitChange({
        writes: [
          { kind: 'replace', item: personItem(after), version: input.version },
          ...entryChanges(before, undefined),
          event(personId, now, {
            kind: as === 'departure' ? 'departure' : `closed_${input.reason}`,
            on: input.on,
            ...(input.note ? { note: input.note } : {}),
          }),
        ],
        audit: [audit(`person.${as === 'departure' ? 'departure' : 'close'}`, personId, now, { reason: input.reason })],
        counters: [
          { key: k.household(gridId, householdId), deltas: { members: -1 } },
          ...personCounters(k, before, -1),
          ...(as === 'departure' ? [{ key: k.counters(`MONTH#${input.on.slice(0, 7)}`), deltas: { departures: 1 } }] : []),
        ],
      });
      return view(personItem(after));
    },

    /**
     * Shows an ID number or phone in full: needs a reason, is limited per user and hour, and leaves an
     * audit entry in the same transaction as the quota it uses (no reveal without its record).
     */
    async reveal(gridId: string, householdId: string, personId: string, field: 'idNumber' | 'phone', reason: string, now: string) {
      await gridInScope(gridId);
      const p = await person(gridId, householdId, personId);
      const sealed = field === 'idNumber' ? p.idEnc : p.phoneEnc;
      if (!sealed) throw new AppError('person.no_phone', 404, 'No phone number is recorded.');
      const hour = now.slice(0, 13);
      try {
        await commitChange({
          writes: [],
          audit: [audit('person.reveal', personId, now, { field, reason })],
          counters: [],
          quota: { key: k.revealQuota(principal.username, hour), limit: REVEALS_PER_HOUR },
        });
      } catch (e) {
        if (e instanceof AppError && e.code === 'quota.exceeded')
          throw new AppError('reveal.rate_limited', 429, `At most ${REVEALS_PER_HOUR} reveals an hour; try again later.`);
        throw e;
      }
      const vault = await townVault(townId);
      return { field, value: vault.decrypt(field, sealed) };
    },

    async search(
      q:
        | { by: 'idNumber'; idNumber: string }
        | { by: 'name'; prefix: string; limit: number; cursor?: string | undefined }
        | { by: 'tag'; tag: string; limit: number; cursor?: string | undefined }
        | { by: 'residenceType'; residenceType: ResidenceType; limit: number; cursor?: string | undefined },
    ): Promise<Page<PersonView>> {
      const visible = (p: PersonView) =>
        principal.role === 'grid_coordinator'
          ? principal.scope.grids.includes(p.gridId)
          : principal.role === 'community_staff'
            ? principal.scope.communities.includes(p.communityId)
            : true;
      if (q.by === 'idNumber') {
        const id = checkIdNumber(q.idNumber);
        if (!id.ok) throw bad(id.reason, id.message.en, 'body.idNumber');
        const vault = await townVault(townId);
        const lock = await getItem<{ gridId: string; householdId: string; personId: string }>(
          k.idLock(vault.lookupHash('idNumber', id.value)),
        );
        if (!lock) return { items: [], nextCursor: null };
        const p = await getItem<Item>(k.person(lock.gridId, lock.householdId, lock.personId));
        const found = p ? [view(p)] : [];
        return { items: found.filter(visible), nextCursor: null };
      }
      if (q.by === 'tag') {
        const special = await isSpecialGroup(q.tag);
        if (!special && !seesKeyGroups)
          throw new AppError('person.key_groups_forbidden', 403, 'Key-group tags need an explicit permission.');
        const pk = special ? k.tagPk(q.tag) : k.keyTagPk(q.tag);
        const page = await queryPage<Item>({ pk, limit: q.limit, cursor: q.cursor, listing: `tag:${q.tag}` });
        const people = await Promise.all(
          page.items.map(async (e) => getItem<Item>(k.person(String(e.gridId), String(e.householdId), String(e.personId)))),
        );
        return {
          items: people
            .filter((p): p is Item => p !== undefined)
            .map(view)
            .filter(visible),
          nextCursor: page.nextCursor,
        };
      }
      const page =
        q.by === 'name'
          ? await queryPage<Item>({
              pk: k.nameIndexPk(q.prefix),
              index: 'gsi2',
              skPrefix: q.prefix,
              limit: q.limit,
              cursor: q.cursor,
              listing: `name:${q.prefix}`,
            })
          : await queryPage<Item>({
              pk: k.residenceIndexPk(q.residenceType),
              index: 'gsi1',
              limit: q.limit,
              cursor: q.cursor,
              listing: `res:${q.residenceType}`,
            });
      return { items: page.items.map(view).filter(visible), nextCursor: page.nextCursor };
    },
  };

  async function isSpecialGroup(tag: string): Promise<boolean> {
    const special = await getItem<{ value: Array<{ id: string }> }>(k.config('specialGroups'));
    return (special?.value ?? []).some((t) => t.id === tag);
  }
}

export type Book = ReturnType<typeof bookOf>;
