import { checkIdNumber, checkPhone, maskIdNumber, maskPhone } from '@gridline/book';
import {
  AppError,
  CONTACT_FIELDS,
  type ContactField,
  type ContactsView,
  contactsDirectory,
  type Coordinator,
  type CoordinatorView,
  type CoverageView,
  coverageMatrix,
  defaultSignIn,
  newId,
  type KeptContacts,
  planPhoneChange,
  planResponsible,
  planTeamStep,
  REVEALS_PER_HOUR,
  sealedFor,
  type TeamAction,
  type TeamEventView,
  type Revocations,
  signInOf,
  type TownPrincipal,
  withoutSealed,
  withRevocation,
} from '@gridline/domain';
import { batchGetAll, commitChange, getItem, type Item, type Page, queryAll, queryPage } from '../ops';
import { coverageColumns, postsInUse, readCatalogue } from '../posts/catalogue';
import { townVault } from '../vault';
import { teamChanges } from './changes';
import { coverageState, eventView, memberView, type StoredCoverage, type StoredMember, storedMember } from './items';

export { type TeamChanges, teamChanges } from './changes';
export {
  coverageState,
  eventView,
  memberView,
  type StoredCoverage,
  type StoredMember,
  storedMember,
  type TeamItems,
  teamItems,
} from './items';

/** The longest history a record's page shows (a coordinator's steps are few; transfers and namings add some). */
const HISTORY_LIMIT = 200;

type GridItem = { gridId: string; communityId: string; name: string; status?: string };

/**
 * The team of one town as one caller uses it (`@gridline/data/team`): the list with each person's stage,
 * a record and its history, each step of recruitment to dismissal, the coverage matrix of a community
 * and naming a grid's responsible coordinator. Rules come from `@gridline/domain` (team/rules); each
 * change is one transaction built in `changes.ts`.
 */
export function teamOf(principal: TownPrincipal) {
  const changes = teamChanges(principal.townId, principal.username);
  const k = changes.items.keys;

  const notFound = () => new AppError('team.not_found', 404, 'No such person on the team.');

  async function coverageRead(communityId: string, consistent: boolean): Promise<StoredCoverage | undefined> {
    const item = await getItem<Item>(k.teamCoverage(communityId), { consistent });
    return item ? coverageState(item) : undefined;
  }

  /** A record as stored: the sealed ID number and phone included (the rules carry them; answers drop them). */
  async function member(coordinatorId: string, consistent: boolean): Promise<StoredMember> {
    const item = await getItem<Item>(k.teamMember(coordinatorId), { consistent });
    if (!item) throw notFound();
    return storedMember(item);
  }

  const bad = (code: string, message: string, field: string) => new AppError(code, 400, message, { field });

  /** A phone as entered, checked by the book's rule and normalised. */
  function checkedPhone(raw: string, field: string): string {
    const phone = checkPhone(raw);
    if (!phone.ok) throw bad(phone.reason, phone.message.en, field);
    return phone.value;
  }

  /**
   * A recommendation's ID number and phone, checked by the book's rules (GB 11643 and the mainland
   * phone rule), sealed with the town's vault and masked: nothing in clear goes further (decision 74).
   */
  async function sealContacts(body: { idNumber?: string | undefined; phone?: string | undefined }): Promise<KeptContacts> {
    const rawId = body.idNumber?.trim() ? body.idNumber : undefined;
    const rawPhone = body.phone?.trim() ? body.phone : undefined;
    if (!rawId && !rawPhone) return {};
    let id: string | undefined;
    if (rawId) {
      const checked = checkIdNumber(rawId);
      if (!checked.ok) throw bad(checked.reason, checked.message.en, 'body.idNumber');
      id = checked.value;
    }
    const phone = rawPhone ? checkedPhone(rawPhone, 'body.phone') : undefined;
    const vault = await townVault(principal.townId);
    return {
      ...(id ? { idNumberSealed: vault.encrypt(CONTACT_FIELDS.idNumber, id), idNumberMasked: maskIdNumber(id) } : {}),
      ...(phone ? { phoneSealed: vault.encrypt(CONTACT_FIELDS.phone, phone), phoneMasked: maskPhone(phone) } : {}),
    };
  }

  /** The grids named, each of them active and in `communityId`. */
  async function checkGrids(communityId: string, gridIds: readonly string[]): Promise<void> {
    if (new Set(gridIds).size !== gridIds.length)
      throw new AppError('team.duplicate_grid', 400, 'A grid is listed twice.', { field: 'body.gridIds' });
    const found = await batchGetAll<GridItem>(gridIds.map((g) => k.grid(g)));
    const ok = new Set(found.filter((g) => g.communityId === communityId && g.status !== 'retired').map((g) => g.gridId));
    const missing = gridIds.filter((g) => !ok.has(g));
    if (missing.length)
      throw new AppError('team.grid_not_in_community', 422, `Not an active grid of this community: ${missing.join(', ')}.`, {
        field: 'body.gridIds',
      });
  }

  async function community(communityId: string): Promise<void> {
    const c = await getItem<{ status?: string }>(k.community(communityId));
    if (!c || c.status === 'retired') throw new AppError('community.not_found', 404, 'No such community in this town (or it is retired).');
  }

  /** The matrix's frame: the community's active grids, in order, and the post catalogue (posts/: one Query). */
  async function frame(communityId: string) {
    const [grids, { posts: catalogue }] = await Promise.all([queryAll<GridItem>(k.orgPk, 'GRID#'), readCatalogue(principal.townId)]);
    const mine = grids
      .filter((g) => g.communityId === communityId && g.status !== 'retired')
      .map((g) => ({ gridId: g.gridId, name: g.name }))
      .sort((a, b) => a.gridId.localeCompare(b.gridId));
    return { grids: mine, catalogue };
  }

  /** An appointment names its sign-in: the one given (of this town), else `<townId>.<coordinatorId>` (decision 66). */
  function withSignIn(id: string, action: Extract<TeamAction, { kind: 'appoint' }>): TeamAction {
    const username = action.body.username ?? defaultSignIn(principal.townId, id);
    if (!username.startsWith(`${principal.townId}.`))
      throw new AppError('team.username_town', 422, `A sign-in of this town starts with "${principal.townId}."`, {
        field: 'body.username',
      });
    return { kind: 'appoint', body: { ...action.body, username } };
  }

  /** The revocation list with `username` added, and the town status item's version it was read at. */
  async function revocation(username: string, now: string): Promise<{ revoked: Revocations; version: number }> {
    const item = await getItem<{ revoked?: Revocations; version: number }>(k.meta(), { consistent: true });
    if (!item) throw new AppError('tenant.unknown', 403, 'Your town is not provisioned.');
    return { revoked: withRevocation(item.revoked, username, Math.floor(Date.parse(now) / 1000)), version: item.version };
  }

  return {
    /** The town's team, one page, each with the stage reached. */
    async list(
      limit: number,
      cursor: string | undefined,
    ): Promise<Page<Pick<CoordinatorView, 'coordinatorId' | 'name' | 'communityId' | 'stage' | 'updatedAt'>>> {
      const page = await queryPage<Item>({ pk: k.teamPk, limit, cursor, listing: 'team' });
      return {
        items: page.items.map((i) => {
          const m = memberView(i);
          return { coordinatorId: m.coordinatorId, name: m.name, communityId: m.communityId, stage: m.stage, updatedAt: m.updatedAt };
        }),
        nextCursor: page.nextCursor,
      };
    },

    /** A record as last saved (a strongly consistent read). */
    record: async (coordinatorId: string): Promise<CoordinatorView> => withoutSealed(await member(coordinatorId, true)),

    /** A record and its history, oldest first. */
    async get(coordinatorId: string): Promise<{ coordinator: CoordinatorView; history: TeamEventView[] }> {
      const [coordinator, events] = await Promise.all([
        member(coordinatorId, false),
        queryPage<Item>({ pk: k.teamEventsPk(coordinatorId), limit: HISTORY_LIMIT, listing: 'team.history' }),
      ]);
      return { coordinator: withoutSealed(coordinator), history: events.items.map(eventView) };
    },

    /** Records one step (a recommendation creates the record); returns the record after it. */
    async step(
      coordinatorId: string | undefined,
      given: TeamAction,
      now: string,
      /** Runs once the step is known to be allowed, just before it is saved (preparing a sign-in). */
      beforeSave?: (after: Coordinator, before: Coordinator | undefined) => Promise<void>,
    ): Promise<CoordinatorView> {
      const before = coordinatorId ? await member(coordinatorId, true) : undefined;
      const action: TeamAction =
        given.kind === 'appoint' && before
          ? withSignIn(before.coordinatorId, given)
          : given.kind === 'recommend'
            ? { ...given, contacts: await sealContacts(given.body) }
            : given;
      // A transfer, leave or dismissal of an appointed person revokes the tokens they hold (decision 67).
      const signIn = before && ['transfer', 'leave', 'dismiss'].includes(action.kind) ? signInOf(before) : undefined;

      const communities = new Set<string>();
      if (action.kind === 'recommend') await community(action.body.communityId);
      if (before && ['appoint', 'transfer', 'leave', 'dismiss'].includes(action.kind)) communities.add(before.communityId);
      if (action.kind === 'appoint' && before) await checkGrids(before.communityId, action.body.gridIds);
      if (action.kind === 'transfer' && before) {
        const to = action.body.communityId ?? before.communityId;
        if (to !== before.communityId) await community(to);
        await checkGrids(to, action.body.gridIds);
        communities.add(to);
      }
      const needsPosts = action.kind === 'appoint' || action.kind === 'transfer';
      const [reads, catalogue] = await Promise.all([
        Promise.all([...communities].map(async (c) => [c, await coverageRead(c, true)] as const)),
        // A new appointment or transfer names posts in use only, never a retired one.
        needsPosts ? postsInUse(principal.townId).then((list) => list.map((p) => p.id)) : [],
      ]);
      const plan = planTeamStep(
        { actor: principal.username, role: principal.role, now, posts: catalogue, coverage: Object.fromEntries(reads) },
        before as Coordinator | undefined,
        action,
        before ? undefined : newId(Date.parse(now)),
      );
      const versions = Object.fromEntries(reads.map(([c, s]) => [c, s?.version]));
      const revoke = signIn?.enabled ? await revocation(signIn.username, now) : undefined;
      await beforeSave?.(plan.after, before);
      await commitChange(changes.stepChange(plan, before?.version, versions, now, revoke));
      return withoutSealed({ ...plan.after, version: (before?.version ?? 0) + 1 });
    },

    /**
     * Shows a team member's ID number or phone in full, exactly like the book's reveal: a reason, the
     * same hourly allowance per user (shared with the book's reveals), and an audit entry in the same
     * transaction as the allowance it uses (no reveal without its record).
     */
    async reveal(coordinatorId: string, field: ContactField, reason: string, now: string): Promise<{ field: ContactField; value: string }> {
      const record = await member(coordinatorId, false);
      const sealed = sealedFor(record, field);
      try {
        await commitChange(changes.revealChange(coordinatorId, field, reason, now, REVEALS_PER_HOUR));
      } catch (e) {
        if (e instanceof AppError && e.code === 'quota.exceeded')
          throw new AppError('reveal.rate_limited', 429, `At most ${REVEALS_PER_HOUR} reveals an hour; try again later.`);
        throw e;
      }
      const vault = await townVault(principal.townId);
      return { field, value: vault.decrypt(CONTACT_FIELDS[field], sealed) };
    },

    /**
     * Corrects (or adds) a coordinator's phone at the version read: the record, its history, the sealed
     * copy in the community's coverage (if appointed) and the audit entry in one transaction.
     */
    async changePhone(coordinatorId: string, raw: string, version: number, now: string): Promise<CoordinatorView> {
      const phone = checkedPhone(raw, 'body.phone');
      const before = await member(coordinatorId, true);
      const read = before.stage === 'appointed' ? await coverageRead(before.communityId, true) : undefined;
      const vault = await townVault(principal.townId);
      const plan = planPhoneChange(
        now,
        before,
        version,
        { sealed: vault.encrypt(CONTACT_FIELDS.phone, phone), masked: maskPhone(phone) },
        read,
      );
      await commitChange(changes.stepChange(plan, before.version, { [before.communityId]: read?.version }, now));
      return withoutSealed({ ...plan.after, version: before.version + 1 });
    },

    /**
     * Who to call in a community: its coverage item, ONE read, and the holders' phones opened with the
     * town's vault. A community with nobody appointed (or not of this town) is 404 `team.no_contacts`.
     */
    async contacts(communityId: string): Promise<ContactsView> {
      const state = await coverageRead(communityId, false);
      // No coverage item: nobody appointed there, or not a community of this town (the isolation suite
      // wants a 404 that echoes nothing); the page shows it as "nobody yet".
      if (!state)
        throw new AppError('team.no_contacts', 404, 'Nobody of the team is appointed in this community (or it is not of this town).');
      const withPhones = state && Object.values(state.holders).some((h) => h.phoneSealed);
      const vault = withPhones ? await townVault(principal.townId) : undefined;
      return contactsDirectory(communityId, state, (sealed) => (vault ? vault.decrypt(CONTACT_FIELDS.phone, sealed) : ''));
    },

    /** The coverage matrix of one community: its coverage item, its grids and the post catalogue. */
    async coverage(communityId: string): Promise<CoverageView> {
      const [state, { grids, catalogue }] = await Promise.all([coverageRead(communityId, false), frame(communityId)]);
      // No community record is read (the read budget): a community with no active grid and no team is unknown here.
      if (!state && grids.length === 0)
        throw new AppError('community.not_found', 404, 'No such community in this town, or it has no grid yet.');
      return coverageMatrix(communityId, state, grids, coverageColumns(catalogue, state));
    },

    /** Names the grid's responsible coordinator (the previous one replaced); returns the community's matrix. */
    async nameResponsible(gridId: string, coordinatorId: string, now: string): Promise<CoverageView> {
      const grid = await getItem<GridItem>(k.grid(gridId), { consistent: true });
      if (!grid || grid.status === 'retired') throw new AppError('grid.not_found', 404, 'No such grid in this town (or it is retired).');
      const coordinator = await member(coordinatorId, true);
      if (coordinator.communityId !== grid.communityId)
        throw new AppError('team.not_assigned', 422, 'Only a coordinator appointed to this grid can answer for it.', {
          field: 'body.coordinatorId',
        });
      const read = await coverageRead(grid.communityId, true);
      const plan = planResponsible(now, coordinator, gridId, read);
      await commitChange(changes.responsibleChange(plan, gridId, read?.version, now));
      const { grids, catalogue } = await frame(grid.communityId);
      return coverageMatrix(grid.communityId, plan.after, grids, coverageColumns(catalogue, plan.after));
    },
  };
}
export type Team = ReturnType<typeof teamOf>;
