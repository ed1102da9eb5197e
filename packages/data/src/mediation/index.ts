import { checkIdNumber, checkPhone } from '@gridline/book';
import {
  activeInvitation,
  AppError,
  caseFlags,
  DISPUTE_TYPES,
  type MediationActionInput,
  type MediationCase,
  type MediationDecision,
  type MediationDetail,
  type MediationEvent,
  type MediationFigures,
  type MediationIntake,
  type MediationInvitation,
  type MediationLevel,
  type MediationListQuery,
  type MediationSettings,
  type MediationSettingsBody,
  type MediationSummary,
  MEDIATION_ACTIONS,
  MEDIATION_LEVELS,
  mayActOnCase,
  maySeeCase,
  mediatesAt,
  periodContaining,
  planEscalate,
  planFollowUp,
  planInvite,
  planMediationIntake,
  planNote,
  planOutcome,
  planSession,
  postsHeldBy,
  shanghaiDay,
  successRate,
  type TownPrincipal,
} from '@gridline/domain';
import { forget, remembered } from '../memo';
import { batchGetAll, commitChange, getItem, type Item, queryAll } from '../ops';
import { townVault } from '../vault';
import { type LinkedMatter, mediationChanges, type RepeatFlag } from './changes';
import {
  caseViewOf,
  eventOf,
  invitationOf,
  invitationView,
  type PartySecret,
  type StoredCase,
  settingsOf,
  statusRange,
  storedCase,
} from './items';
import { mergedPage, type Range } from './lists';
import { mediationPlaces } from './places';

export { CASE_ITEM_LIMIT, type LinkedMatter, type MediationChanges, mediationChanges, type RepeatFlag } from './changes';
export {
  caseViewOf,
  DEFAULT_MEDIATION_SETTINGS,
  listKey,
  type MediationItems,
  mediationItems,
  nextFollowUp,
  type PartySecret,
  type StoredCase,
  statusRange,
  storedCase,
} from './items';
export { mergedPage, type Range } from './lists';
export { type MediationPlaces, mediationPlaces } from './places';
export { type FollowUpReport, remindFollowUps } from './follow-ups';

/** The town's mediation settings (the defaults until an admin saves some), remembered a minute per process. */
export function mediationSettingsOf(townId: string, consistent = false): Promise<MediationSettings> {
  const read = async () => settingsOf(await getItem<Item>(mediationChanges(townId, '').items.keys.mediationSettings(), { consistent }));
  return consistent ? read() : remembered(`${townId}|mediationSettings`, read);
}

/** More grids than this in a caller's reach and their list is read from the town's list instead (decision 164). */
export const MAX_GRID_RANGES = 8;

/** A case page's items: the case, its timeline oldest first, its invitations. */
type CasePartition = { stored: StoredCase; events: MediationEvent[]; invitations: MediationInvitation[] };

const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${canonical((v as Record<string, unknown>)[key])}`)
          .join(',')}}`
      : JSON.stringify(v);

const prefixed = (e: AppError, current?: unknown) =>
  new AppError(e.code, e.status, e.message, {
    ...(e.field ? { field: e.field.startsWith('body.') ? e.field : `body.${e.field}` } : {}),
    ...(current !== undefined ? { current } : {}),
  });

/**
 * One town's mediation as one caller uses it (`@gridline/data/mediation`). Rules come from
 * `@gridline/domain` (mediation/): the plans, who sees and who acts; each change is one transaction built
 * in `changes.ts`. A case the caller may not see answers 404, exactly as one that does not exist.
 */
export function mediationOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const changes = mediationChanges(townId, principal.username);
  const k = changes.items.keys;
  const notFound = () => new AppError('mediation.not_found', 404, 'No such case in this town.');
  const isParticipant = principal.role === 'participant';

  async function readCase(caseId: string, consistent: boolean): Promise<CasePartition | undefined> {
    const all = await queryAll<Item>(k.mediationCasePk(caseId), undefined, { consistent });
    const head = all.find((i) => i.sk === 'C');
    if (!head) return undefined;
    return {
      stored: storedCase(head),
      events: all.filter((i) => String(i.sk).startsWith('E#')).map(eventOf),
      invitations: all.filter((i) => String(i.sk).startsWith('I#')).map(invitationOf),
    };
  }

  /** A participant's read is audited, found or not (decision 167). */
  async function auditRead(action: string, target: string, now: string, details: Record<string, unknown>) {
    if (isParticipant) await commitChange(changes.read(action, target, now, details));
  }

  function detail(
    part: CasePartition,
    posts: Parameters<typeof maySeeCase>[4],
    now: string,
    more: Partial<Pick<MediationDetail, 'initialCredentials'>> = {},
  ): MediationDetail {
    const c = part.stored;
    const invited = activeInvitation(principal, c, now, part.invitations) !== undefined;
    return {
      case: caseViewOf(c),
      events: part.events,
      invitations: part.invitations.map((i) => invitationView(i, now)),
      partyNames: [...c.partyNames],
      actions: MEDIATION_ACTIONS.filter((a) => mayActOnCase(principal, c, a, now, part.invitations, posts)),
      asParticipant: invited && !mediatesAt(principal, c, posts ?? []),
      ...more,
    };
  }

  /** The case's page as it stands, for whoever may see it; undefined otherwise. */
  async function page(caseId: string, now: string, consistent = false): Promise<MediationDetail | undefined> {
    const [part, places] = await Promise.all([readCase(caseId, consistent), mediationPlaces(townId)]);
    if (!part || !maySeeCase(principal, part.stored, now, part.invitations, places.posts)) return undefined;
    return detail(part, places.posts, now);
  }

  /** The parties as intake gives them: book people read for their names and ID hashes, outside ones checked and sealed. */
  async function parties(body: MediationIntake) {
    const book = body.parties.flatMap((p, i) => ('personId' in p ? [{ i, key: k.person(p.gridId, p.householdId, p.personId) }] : []));
    const found = book.length ? await batchGetAll<Item>(book.map((b) => b.key)) : [];
    const bySk = new Map(found.map((f) => [`${f.pk}|${f.sk}`, f]));
    const vault = await townVault(townId);
    const names: string[] = [];
    const keys: Array<string | null> = [];
    const secrets: Array<PartySecret | null> = [];
    body.parties.forEach((p, i) => {
      if ('personId' in p) {
        const key = k.person(p.gridId, p.householdId, p.personId);
        const person = bySk.get(`${key.pk}|${key.sk}`);
        if (person?.status !== 'active')
          throw new AppError('mediation.unknown_party', 422, 'No such person living in that household of the book.', {
            field: `body.parties.${i}.personId`,
          });
        names.push(String(person.name));
        keys.push(typeof person.idHash === 'string' ? person.idHash : null);
        secrets.push(null);
        return;
      }
      const secret: PartySecret = {};
      let hash: string | null = null;
      if (p.idNumber !== undefined) {
        const id = checkIdNumber(p.idNumber);
        if (!id.ok) throw new AppError(id.reason, 400, id.message.en, { field: `body.parties.${i}.idNumber` });
        secret.idNumberSealed = vault.encrypt('idNumber', id.value);
        // The book's own keyed hash of the same normalised number: an outside party and a resident match.
        hash = vault.lookupHash('idNumber', id.value);
      }
      if (p.phone !== undefined) {
        const phone = checkPhone(p.phone);
        if (!phone.ok) throw new AppError(phone.reason, 400, phone.message.en, { field: `body.parties.${i}.phone` });
        secret.phoneSealed = vault.encrypt('phone', phone.value);
      }
      names.push(p.name);
      keys.push(hash);
      secrets.push(secret.idNumberSealed || secret.phoneSealed ? secret : null);
    });
    return { names, keys, secrets, digestOf: (v: unknown) => vault.lookupHash('mediationIntake', canonical(v)) };
  }

  /** How many other cases name each hash, and the other open or agreed cases not flagged yet (at most ten). */
  async function repeats(caseId: string, hashes: readonly (string | null)[]) {
    const unique = [...new Set(hashes.filter((h): h is string => h !== null))];
    const entries = await Promise.all(unique.map((h) => queryAll<Item>(k.mediationPartyPk(h))));
    const othersByKey: Record<string, number> = {};
    const otherIds = new Map<string, string[]>();
    unique.forEach((h, n) => {
      const others = (entries[n] ?? []).map((e) => String(e.caseId)).filter((id) => id !== caseId);
      othersByKey[h] = others.length;
      for (const id of others) otherIds.set(id, [...(otherIds.get(id) ?? []), h]);
    });
    const ids = [...otherIds.keys()].slice(0, 10);
    const cases = ids.length ? await batchGetAll<Item>(ids.map((id) => k.mediationCase(id))) : [];
    const flag: RepeatFlag[] = cases
      .map(storedCase)
      .filter((c) => (c.status === 'open' || c.status === 'agreed') && !c.flags.includes('repeat_party'))
      .map((c) => ({ before: c, hashes: otherIds.get(c.caseId) ?? [] }));
    return { othersByKey, flag };
  }

  /** A refusal of the rules as the API answers it: its field under `body.`, a conflict with the case as it stands. */
  async function refusal(e: AppError, caseId: string, now: string): Promise<AppError> {
    return prefixed(e, e.status === 409 ? await page(caseId, now, true) : undefined);
  }

  /** Where the caller's lists are read: the town's list, or the lists of the grids they reach. */
  function reach(posts: Parameters<typeof postsHeldBy>[0], gridsOf: ReadonlyMap<string, readonly string[]>): 'town' | string[] {
    const p = principal;
    if (p.role === 'town_admin' || (p.role === 'auditor' && p.scope.communities.length === 0)) return 'town';
    const held = postsHeldBy(posts, p.username);
    if (held.some((h) => h.level === 'town')) return 'town';
    const grids = new Set<string>();
    const communities: string[] = [];
    if (p.role === 'community_staff' || p.role === 'auditor') communities.push(...p.scope.communities);
    if (p.role === 'grid_coordinator' || p.role === 'mediator') for (const g of p.scope.grids) grids.add(g);
    for (const h of held) {
      if (h.level === 'courtyard') grids.add(h.place);
      else communities.push(h.place);
    }
    for (const c of communities) for (const g of gridsOf.get(c) ?? []) grids.add(g);
    return grids.size > MAX_GRID_RANGES ? 'town' : [...grids].sort();
  }

  return {
    /**
     * Takes a case in (受理): the parties read from the book or checked and sealed, the grid, courtyard
     * and matter checked, the repeat parties counted by their ID hashes, then the rules' plan written in
     * one transaction. The same request again (same id, same caller, same content) answers the case it
     * made; another request with a case id in use is refused.
     */
    async takeIn(body: MediationIntake, now: string): Promise<{ created: boolean; detail: MediationDetail }> {
      const [existing, grid, yard, matter, settings, places] = await Promise.all([
        getItem<Item>(k.mediationCase(body.caseId), { consistent: true }),
        getItem<{ communityId?: string; status?: string }>(k.grid(body.gridId), { consistent: true }),
        body.courtyardId ? getItem<{ gridId?: string; status?: string }>(k.courtyard(body.courtyardId)) : undefined,
        body.foundBy.matterId ? getItem<Item>(k.matter(body.foundBy.matterId), { consistent: true }) : undefined,
        mediationSettingsOf(townId),
        mediationPlaces(townId),
      ]);
      const party = await parties(body);
      const digest = party.digestOf(body);
      const again = async (item: Item | undefined) => {
        const c = item ? storedCase(item) : undefined;
        if (!c || c.takenBy !== principal.username || c.intakeDigest !== digest)
          throw new AppError('mediation.exists', 409, 'A case with this id exists; make a new id for a new case.', {
            field: 'body.caseId',
          });
        const d = await page(c.caseId, now, true);
        if (!d) throw notFound();
        return { created: false, detail: d };
      };
      if (existing) return again(existing);
      if (body.courtyardId && (yard?.gridId !== body.gridId || yard.status === 'retired'))
        throw new AppError('mediation.unknown_courtyard', 422, 'No such courtyard in this grid.', { field: 'body.courtyardId' });
      if (body.foundBy.matterId && !matter)
        throw new AppError('mediation.unknown_matter', 422, 'No such matter in this town.', { field: 'body.foundBy.matterId' });
      const { othersByKey, flag } = await repeats(body.caseId, party.keys);
      const plan = planMediationIntake(body, principal, now, {
        communityId: grid && grid.status !== 'retired' ? grid.communityId : undefined,
        types: settings.types,
        posts: places.posts,
        partyKeys: party.keys,
      });
      if (!plan.ok) throw prefixed(plan.error);
      const after: StoredCase = {
        ...plan.after,
        partyNames: party.names,
        partySecrets: party.secrets,
        flags: caseFlags(plan.after, othersByKey).flags,
        intakeDigest: digest,
      };
      const linked: LinkedMatter | undefined = matter
        ? { matterId: String(matter.matterId), version: Number(matter.version), level: String(matter.level), status: String(matter.status) }
        : undefined;
      try {
        await commitChange(changes.intake(plan, after, now, { flag, ...(linked ? { matter: linked } : {}) }));
      } catch (e) {
        if (e instanceof AppError && e.code === 'mediation.exists')
          return again(await getItem<Item>(k.mediationCase(body.caseId), { consistent: true }));
        throw e;
      }
      return { created: true, detail: detail({ stored: after, events: plan.events, invitations: [] }, places.posts, now) };
    },

    /** A case's page: the case, its timeline and invitations, the parties' names, what the caller may do. */
    async get(caseId: string, now: string): Promise<MediationDetail> {
      const d = await page(caseId, now);
      await auditRead('mediation.read', caseId, now, { found: d !== undefined });
      if (!d) throw notFound();
      return d;
    },

    /**
     * One step on a case at the version read. Refused as data (403/409/422, a 409 with the case as it
     * stands), or written in one transaction. An invitation naming an account first has `prepareInvitee`
     * make sure the account is an outside participant's of this town (its one-time password, if it made
     * one, is answered once) — only once the rules have accepted the step.
     */
    async act(
      caseId: string,
      input: MediationActionInput,
      now: string,
      opts: { prepareInvitee?: (username: string, name: string) => Promise<string | undefined> } = {},
    ): Promise<MediationDetail> {
      const [part, places, settings] = await Promise.all([readCase(caseId, true), mediationPlaces(townId), mediationSettingsOf(townId)]);
      if (!part || !maySeeCase(principal, part.stored, now, part.invitations, places.posts)) throw notFound();
      const c = part.stored;
      const ctx = { posts: places.posts, invitations: part.invitations };
      let d: MediationDecision;
      switch (input.action) {
        case 'escalate':
          d = planEscalate(c, input, principal, now, ctx);
          break;
        case 'session':
          d = planSession(c, input, principal, now, ctx);
          break;
        case 'note':
          d = planNote(c, input, principal, now, ctx);
          break;
        case 'agree':
          d = planOutcome(c, { version: input.version, agreement: input.agreement }, principal, now, {
            ...ctx,
            followUpDays: settings.followUpDays,
          });
          break;
        case 'fail':
          d = planOutcome(c, { version: input.version, failure: input.failure }, principal, now, ctx);
          break;
        case 'follow_up':
          d = planFollowUp(c, input, principal, now, ctx);
          break;
        case 'invite': {
          const { action: _a, ...invitation } = input;
          d = planInvite(c, invitation, principal, now, ctx);
          break;
        }
      }
      if (!d.ok) throw await refusal(d.error, caseId, now);
      let temporaryPassword: string | undefined;
      const invitee = d.invitation?.username;
      if (invitee) {
        if (!invitee.startsWith(`${townId}.`))
          throw new AppError('mediation.account_mismatch', 409, `An outside participant's account is named "${townId}.<name>".`, {
            field: 'body.username',
          });
        temporaryPassword = await opts.prepareInvitee?.(invitee, d.invitation?.name ?? invitee);
      }
      // The plan's case carries what the store keeps beside the rules' fields (names, sealed contacts, flags).
      const after: StoredCase = {
        ...d.after,
        partyNames: c.partyNames,
        partySecrets: c.partySecrets,
        flags: c.flags,
        intakeDigest: c.intakeDigest,
      };
      try {
        await commitChange(changes.step(d, c, after, now, part.invitations.length));
      } catch (e) {
        if (e instanceof AppError && e.code === 'conflict.version')
          throw new AppError('mediation.version_conflict', 409, 'Someone acted on this case meanwhile; here it is as it stands now.', {
            field: 'body.version',
            current: await page(caseId, now, true),
          });
        throw e;
      }
      const invitations = d.invitation ? [...part.invitations, d.invitation] : part.invitations;
      return detail(
        { stored: after, events: [...part.events, ...d.events], invitations },
        places.posts,
        now,
        invitee && temporaryPassword ? { initialCredentials: { username: invitee, temporaryPassword } } : {},
      );
    },

    /**
     * One page of a view within the caller's reach: the town's list or their grids' lists, each view a
     * range of them (decision 164). An invited participant gets their running invitations' cases, whatever
     * the view they ask for; the read is audited.
     */
    async list(q: MediationListQuery, now: string): Promise<{ items: ReturnType<typeof caseViewOf>[]; nextCursor: string | null }> {
      const today = shanghaiDay(now);
      if (isParticipant || q.view === 'invited') {
        const page = await mergedPage({
          ranges: [{ pk: k.mediationInvitedPk(principal.username), index: 'gsi1', from: `${today}#`, to: '\uffff' }],
          limit: q.limit,
          cursor: q.cursor,
          listing: 'mediation.invited',
        });
        const ids = [...new Set(page.items.map((i) => String(i.caseId)))];
        const found = ids.length ? await batchGetAll<Item>(ids.map((id) => k.mediationCase(id))) : [];
        const byId = new Map(found.map((f) => [String(f.caseId), storedCase(f)]));
        const invitations = page.items.map(invitationOf);
        const items = ids
          .map((id) => byId.get(id))
          .filter((c): c is StoredCase => c !== undefined && maySeeCase(principal, c, now, invitations))
          .filter((c) => q.level === undefined || c.level === q.level)
          .map(caseViewOf);
        await auditRead('mediation.list', 'invited', now, { cases: items.map((c) => c.caseId) });
        return { items, nextCursor: page.nextCursor };
      }
      const places = await mediationPlaces(townId);
      const where = reach(places.posts, places.gridsOf);
      const partitions: Array<Pick<Range, 'pk' | 'index'>> =
        where === 'town' ? [{ pk: k.mediationTownPk, index: 'gsi2' }] : where.map((g) => ({ pk: k.mediationGridPk(g), index: 'gsi1' }));
      const parts: Array<{ status: MediationCase['status']; through?: string }> =
        q.view === 'flagged'
          ? [{ status: 'open' }, { status: 'agreed' }]
          : q.view === 'follow_ups_due'
            ? [{ status: 'agreed', through: today }]
            : [{ status: q.view }];
      const ranges: Range[] = parts.flatMap((part, rank) =>
        partitions.map((at) => {
          const [from, to] = statusRange(part.status, part.through);
          return { ...at, from, to, rank };
        }),
      );
      const page = await mergedPage({
        ranges,
        limit: q.limit,
        cursor: q.cursor,
        listing: `mediation.${q.view}.${q.level ?? 'all'}`,
        keep: (item) => {
          const c = storedCase(item);
          if (q.level !== undefined && c.level !== q.level) return false;
          if (q.view === 'flagged' && !c.flags?.length) return false;
          return maySeeCase(principal, c, now, [], places.posts);
        },
      });
      return { items: page.items.map((i) => caseViewOf(storedCase(i))), nextCursor: page.nextCursor };
    },

    /** The month's figures from the town's counter item (one read): totals, by level and type, the two rates. */
    async summary(now: string): Promise<MediationSummary> {
      const month = periodContaining(now, 'month');
      const counts = await getItem<Record<string, unknown>>(k.counters(`MONTH#${month}`));
      const n = (key: string) => {
        const v = counts?.[key];
        return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, v) : 0;
      };
      const figures = (suffix: string): MediationFigures => ({
        received: n(`mediation_received${suffix}`),
        mediated: n(`mediation_mediated${suffix}`),
        agreements: n(`mediation_agreements${suffix}`),
        failures: n(`mediation_failures${suffix}`),
        joint: n(`mediation_joint${suffix}`),
      });
      const total = figures('');
      return {
        month,
        total,
        byLevel: MEDIATION_LEVELS.map((level: MediationLevel) => ({ level, ...figures(`_${level}`) })),
        byType: DISPUTE_TYPES.map((type) => ({ type, ...figures(`_type_${type}`) })),
        successRate: successRate(total.agreements, total.failures),
        jointShare: total.received > 0 ? Math.min(1, total.joint / total.received) : null,
      };
    },

    settings: (): Promise<MediationSettings> => mediationSettingsOf(townId),

    /** Saves the settings at the version read (none: the first save over the defaults). */
    async saveSettings(body: MediationSettingsBody, now: string): Promise<MediationSettings> {
      const before = await mediationSettingsOf(townId, true);
      const changed = () =>
        new AppError('mediation.settings_changed', 409, 'Someone changed the settings meanwhile; reload them and try again.', {
          field: 'body.version',
        });
      if ((body.version ?? 0) !== before.version) throw changed();
      const after: MediationSettings = {
        version: before.version + 1,
        followUpDays: [...new Set(body.followUpDays)].sort((a, b) => a - b),
        types: DISPUTE_TYPES.filter((t) => body.types.includes(t)),
        updatedAt: now,
      };
      await commitChange(changes.settings(before, after, now)).catch((e: unknown) => {
        if (e instanceof AppError && e.status === 409) throw changed();
        throw e;
      });
      forget(`${townId}|mediationSettings`);
      return after;
    },
  };
}
