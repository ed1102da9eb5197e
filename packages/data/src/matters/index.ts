import { maskPhone, normalisePhone } from '@gridline/book';
import {
  AppError,
  allowedActions,
  type AppNotification,
  canReadMatter,
  type CategorySla,
  DEFAULT_LADDER,
  type LadderConfig,
  type Matter,
  type MatterActionInput,
  type MatterAssignee,
  type MatterBoard,
  type MatterCategory,
  type MatterCategoryBody,
  type MatterClock,
  type MatterDetail,
  type MatterEvent,
  type MatterIntake,
  type MatterPage,
  type MatterQueueQuery,
  type MatterRefusal,
  matterClock,
  MATTER_LEVELS,
  newId,
  periodContaining,
  planCategory,
  planIntake,
  decideMatter,
  type TownPrincipal,
  type WorkCalendar,
  dueSoonLimit,
  type MatterCategoryChange,
} from '@gridline/domain';
import { workCalendarOf } from '../calendar';
import { batchGetAll, commitChange, getItem, type Item, publicFields, queryAll, queryPage, type Write } from '../ops';
import { forget, remembered } from '../memo';
import { townVault } from '../vault';
import { matterChanges } from './changes';
import { categoryView, eventView, matterView, type StoredMatter, storedMatter, summaryOf } from './items';

export { type MatterChanges, matterChanges } from './changes';
export { dueKey, type MatterItems, matterItems, matterView, type StoredMatter, storedMatter, summaryOf } from './items';

/** The working-day calendar a town's deadlines count in: the national years known and the town's closures. */
export const workCalendarFor = (townId: string): Promise<WorkCalendar> => workCalendarOf(townId);

const refusalError = (r: MatterRefusal, current?: unknown) =>
  new AppError(r.code, r.status, r.message, { ...(r.field ? { field: `body.${r.field}` } : {}), ...(current ? { current } : {}) });

/** The town's ladder as stored (the default until an admin saves one) and its version (0: never saved). */
export async function ladderOf(townId: string, consistent = false): Promise<{ ladder: LadderConfig; version: number }> {
  const read = async () => {
    const key = matterChanges(townId, '').items.keys.matterLadder();
    const item = await getItem<{ ladder: LadderConfig; version: number }>(key, { consistent });
    return item ? { ladder: item.ladder, version: item.version } : { ladder: DEFAULT_LADDER, version: 0 };
  };
  // Read for every action and page, changed rarely: remembered a minute in this process (decision 107).
  return consistent ? read() : remembered(`${townId}|ladder`, read);
}

/** The town's category catalogue, remembered a minute in this process like the ladder (decision 107). */
const catalogueOf = (townId: string): Promise<MatterCategory[]> =>
  remembered(`${townId}|categories`, async () =>
    (await queryAll<Item>(matterChanges(townId, '').items.keys.matterCategoriesPk)).map(categoryView),
  );

/**
 * One town's matters as one caller uses them (`@gridline/data/matters`). Rules come from
 * `@gridline/domain` (matters/): `planIntake`, `decideMatter`, `matterClock`; each change is one
 * transaction built in `changes.ts`. A matter outside the caller's reach answers 404, as one that does
 * not exist, so nothing is told about other grids.
 */
export function mattersOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const changes = matterChanges(townId, principal.username);
  const items = changes.items;
  const k = items.keys;
  const notFound = () => new AppError('matter.not_found', 404, 'No such matter in this town.');

  const category = async (categoryId: string): Promise<MatterCategory | undefined> =>
    (await catalogueOf(townId)).find((c) => c.categoryId === categoryId);
  async function slaOf(categoryId: string): Promise<CategorySla> {
    const c = await category(categoryId);
    if (!c) throw new AppError('matter.unknown_category', 422, 'Not a category of this town’s catalogue.');
    return c.sla;
  }

  /** The matter's partition: the matter and its timeline, oldest first (one Query). */
  async function readMatter(matterId: string, consistent: boolean): Promise<{ stored: StoredMatter; timeline: MatterEvent[] }> {
    const all = await queryAll<Item>(k.matterPk(matterId), undefined, { consistent });
    const head = all.find((i) => i.sk === 'M');
    if (!head) throw notFound();
    const stored = storedMatter(head);
    if (!canReadMatter(principal, stored.matter)) throw notFound();
    return { stored, timeline: all.filter((i) => String(i.sk).startsWith('E#')).map(eventView) };
  }

  const detail = (m: Matter, clock: MatterClock, timeline: MatterEvent[], ladder: LadderConfig): MatterDetail => ({
    matter: matterView(m),
    clock,
    timeline,
    allowed: allowedActions(m, principal, ladder),
  });

  /** The clock of a matter now, and the mark it carries forward (a matter that moved on starts unmarked). */
  function clockAfter(
    m: Matter,
    sla: CategorySla,
    cal: WorkCalendar,
    now: string,
    before?: StoredMatter,
  ): { clock: MatterClock; stored: StoredMatter } {
    const clock = matterClock(m, sla, cal, now);
    const keepsMark = before && before.matter.level === m.level && before.matter.status === m.status && before.clock.due === clock.due;
    return { clock, stored: { matter: m, clock: { due: clock.due, kind: clock.kind }, mark: keepsMark ? before.mark : 'ok' } };
  }

  async function assigneeOf(username: string): Promise<MatterAssignee | undefined> {
    const s = await getItem<{ username: string; role: string; communityIds?: string[]; gridIds?: string[]; status?: string }>(
      k.staff(username),
    );
    if (!s || s.status === 'disabled') return undefined;
    return {
      username: s.username,
      role: s.role as MatterAssignee['role'],
      townId,
      scope: { communities: s.communityIds ?? [], grids: s.gridIds ?? [] },
    };
  }

  /** Whether the caller reads every matter of a place (a grid, a community, the town). */
  async function readsPlace(level: (typeof MATTER_LEVELS)[number], place: string | undefined): Promise<boolean> {
    const p = principal;
    if (p.role === 'town_admin' || (p.role === 'auditor' && p.scope.communities.length === 0)) return true;
    if (level === 'town' || place === undefined) return false;
    // As canReadMatter: coordinators read their grids, community staff and auditors their communities.
    if (p.role === 'grid_coordinator') return level === 'grid' && p.scope.grids.includes(place);
    if (p.role !== 'community_staff' && p.role !== 'auditor') return false;
    if (level === 'community') return p.scope.communities.includes(place);
    const grid = await getItem<{ communityId?: string }>(k.grid(place));
    return grid?.communityId !== undefined && p.scope.communities.includes(grid.communityId);
  }

  /** A matter's page as it stands: read again after a lost race, to answer the 409 with it. */
  async function page(matterId: string, now: string): Promise<MatterDetail> {
    const [{ stored, timeline }, cal, ladder] = await Promise.all([readMatter(matterId, false), workCalendarFor(townId), ladderOf(townId)]);
    const clock = matterClock(stored.matter, await slaOf(stored.matter.categoryId), cal, now);
    return detail(stored.matter, clock, timeline, ladder.ladder);
  }

  /**
   * The uploads named as attachments, each marked as the matter's in the same transaction: a finished
   * attachment upload of the caller's, not attached yet (decision 104). Readers of the matter may then
   * open it (`mayReadUpload`).
   */
  async function attach(ids: readonly string[] | undefined, matterId: string): Promise<Write[]> {
    if (!ids?.length) return [];
    const unique = [...new Set(ids)];
    const found = new Map((await batchGetAll<Item>(unique.map((id) => k.upload(id)))).map((u) => [String(u.uploadId), u]));
    return unique.map((id): Write => {
      const u = found.get(id);
      if (u?.purpose !== 'attachment' || u.status !== 'ready' || u.by !== principal.username || (u.attachedTo ?? 'none') !== 'none')
        throw new AppError(
          'matter.attachment_invalid',
          422,
          'An attachment is not a finished upload of yours, or it is attached already.',
          {
            field: 'body.attachmentIds',
          },
        );
      return {
        kind: 'update',
        key: k.upload(id),
        set: { attachedTo: matterId },
        version: Number(u.version),
        expect: { attachedTo: 'none' },
      };
    });
  }

  const wholeTown = () => principal.role === 'town_admin' || (principal.role === 'auditor' && principal.scope.communities.length === 0);
  const outOfScope = (field: string) =>
    new AppError('matter.out_of_scope', 403, 'This queue is not within your grids or communities.', { field });

  return {
    /** Raises a matter at the grid: checks, seals the reporter's phone, writes the matter and its queues. */
    async raise(body: MatterIntake, now: string): Promise<MatterDetail> {
      const personId = 'personId' in body.reporter ? body.reporter.personId : undefined;
      const [grid, cat, cal, ladder, yard, household, person] = await Promise.all([
        getItem<{ communityId?: string; status?: string }>(k.grid(body.gridId)),
        category(body.categoryId),
        workCalendarFor(townId),
        ladderOf(townId),
        body.courtyardId ? getItem<{ gridId?: string; status?: string }>(k.courtyard(body.courtyardId)) : undefined,
        body.householdId ? getItem<{ status?: string }>(k.household(body.gridId, body.householdId)) : undefined,
        personId && body.householdId ? getItem<{ status?: string }>(k.person(body.gridId, body.householdId, personId)) : undefined,
      ]);
      // The place and the reporter must be of the book, in the matter's grid (422, never a dangling id).
      const unknown = (code: string, message: string, field: string) => new AppError(code, 422, message, { field });
      if (body.courtyardId && (yard?.gridId !== body.gridId || yard.status === 'retired'))
        throw unknown('matter.unknown_courtyard', 'No such courtyard in this grid.', 'body.courtyardId');
      if (body.householdId && !household) throw unknown('matter.unknown_household', 'No such household in this grid.', 'body.householdId');
      if (personId && (!body.householdId || person?.status !== 'active'))
        throw unknown(
          'matter.unknown_person',
          'Name the household of the person reporting; they must live there.',
          'body.reporter.personId',
        );
      let reporterPhone: { sealed: string; masked: string } | undefined;
      if (!('personId' in body.reporter) && body.reporter.phone) {
        const phone = normalisePhone(body.reporter.phone);
        const vault = await townVault(townId);
        reporterPhone = { sealed: vault.encrypt('phone', phone), masked: maskPhone(phone) };
      }
      const matterId = newId(Date.parse(now));
      const plan = planIntake(body, principal, now, {
        matterId,
        communityId: grid && grid.status !== 'retired' ? grid.communityId : undefined,
        categories: cat?.inUse ? [cat.categoryId] : [],
        ...(reporterPhone ? { reporterPhone } : {}),
      });
      if (!plan.ok) throw refusalError(plan.refusal);
      const { clock, stored } = clockAfter(plan.after, (cat as MatterCategory).sla, cal, now);
      const change = changes.planChange(plan, undefined, stored, now);
      change.writes.push(...(await attach(body.attachmentIds, matterId)));
      await commitChange(change);
      return detail(plan.after, clock, plan.events, ladder.ladder);
    },

    /** A matter's page: the matter, its clock now, its timeline, what the caller may do. */
    get: (matterId: string, now: string): Promise<MatterDetail> => page(matterId, now),

    /**
     * One action of the ladder at the version the caller read: refused as data (403/409/422, a 409 with
     * the matter as it stands), or written in one transaction. A lost race at commit answers 409 with
     * the matter read again.
     */
    async act(matterId: string, input: MatterActionInput, now: string): Promise<MatterDetail> {
      const [{ stored, timeline }, cal, ladder] = await Promise.all([
        readMatter(matterId, true),
        workCalendarFor(townId),
        ladderOf(townId),
      ]);
      const m = stored.matter;
      const current = () => page(matterId, now);
      const [target, assignee, sla] = await Promise.all([
        input.action === 'merge' && input.targetId !== matterId
          ? getItem<Item>(k.matter(input.targetId), { consistent: true }).then((i) => (i ? storedMatter(i) : undefined))
          : Promise.resolve(undefined),
        input.action === 'reassign' ? assigneeOf(input.assignee) : Promise.resolve(undefined),
        slaOf(m.categoryId),
      ]);
      const decision = decideMatter(m, input, principal, now, {
        ladder: ladder.ladder,
        ...(target ? { target: target.matter } : {}),
        ...(assignee ? { assignee } : {}),
      });
      if (!decision.ok) throw refusalError(decision.refusal, decision.refusal.status === 409 ? await current() : undefined);
      const { clock, stored: after } = clockAfter(decision.after, sla, cal, now, stored);
      let targetChange: Parameters<typeof changes.planChange>[4];
      if (decision.target && target) {
        const t = clockAfter(decision.target.after, await slaOf(target.matter.categoryId), cal, now, target);
        targetChange = { before: target, after: t.stored, events: decision.target.events };
      }
      const change = changes.planChange(decision, stored, after, now, targetChange);
      change.writes.push(...(await attach(input.attachmentIds, matterId)));
      try {
        await commitChange(change);
      } catch (e) {
        if (e instanceof AppError && e.code === 'conflict.version')
          throw new AppError('matter.version_conflict', 409, 'Someone acted on this matter meanwhile; here it is as it stands now.', {
            field: 'body.version',
            current: await current(),
          });
        throw e;
      }
      return detail(decision.after, clock, [...timeline, ...decision.events], ladder.ladder);
    },

    /** One page of a queue: one Query on the index the writes keep for it. */
    async list(q: MatterQueueQuery, now: string): Promise<MatterPage> {
      const page = (req: Omit<Parameters<typeof queryPage>[0], 'limit' | 'cursor' | 'listing'>) =>
        queryPage<Item>({ ...req, limit: q.limit, cursor: q.cursor, listing: `matters.${q.queue}` }).then((p) => ({
          items: p.items.map(summaryOf),
          nextCursor: p.nextCursor,
        }));
      const soon = q.queue === 'due_soon' ? dueSoonLimit(now, await workCalendarFor(townId)) : now;
      switch (q.queue) {
        case 'mine':
          return page({ pk: k.matterMinePk(principal.username), index: 'gsi2' });
        case 'level':
        case 'visit': {
          const level = q.level as (typeof MATTER_LEVELS)[number];
          const place = level === 'town' ? 'TOWN' : (q.place as string);
          if (!(await readsPlace(level, level === 'town' ? undefined : place))) throw outOfScope('query.place');
          return page({ pk: k.matterLevelQueuePk(level, place), index: 'gsi1', skPrefix: q.queue === 'level' ? 'h#' : 'v#' });
        }
        case 'overdue':
        case 'due_soon': {
          const [from, to] = q.queue === 'overdue' ? ['0', now] : [now, `${soon}~`];
          if (q.level !== undefined) {
            const place = q.level === 'town' ? 'TOWN' : q.place;
            if (place === undefined) throw new AppError('validation', 400, 'Name the grid or community.', { field: 'query.place' });
            if (!(await readsPlace(q.level, q.level === 'town' ? undefined : place))) throw outOfScope('query.place');
            return page({ pk: k.matterLevelQueuePk(q.level, place), index: 'gsi1', skBetween: [`h#${from}`, `h#${to}`] });
          }
          if (!wholeTown()) throw outOfScope('query.level');
          return page({ pk: k.matterDuePk, skBetween: [from, to] });
        }
        case 'category':
          if (!wholeTown()) throw outOfScope('query.categoryId');
          return page({ pk: k.matterCategoryPk(q.categoryId as string), forward: false });
        case 'grid':
          if (!(await readsPlace('grid', q.gridId))) throw outOfScope('query.gridId');
          return page({ pk: k.matterGridPk(q.gridId as string), forward: false });
      }
    },

    /** The supervision board: the town's running clocks (one Query) and the counters of the month and the town. */
    async board(now: string): Promise<MatterBoard> {
      if (!wholeTown()) throw new AppError('matter.board_town_only', 403, 'The supervision board is for town leaders.');
      const period = periodContaining(now, 'month');
      const [running, town, month, report] = await Promise.all([
        queryAll<Item>(k.matterDuePk),
        getItem<Record<string, number>>(k.counters('TOWN')),
        getItem<Record<string, number>>(k.counters(`MONTH#${period}`)),
        getItem<{ at?: string }>(k.report('supervision')),
      ]);
      const lines = running.map(summaryOf);
      const cal = await workCalendarFor(townId);
      const soon = dueSoonLimit(now, cal);
      const stateOf = (due: string | null) => (due === null ? null : due < now ? 'red' : due <= soon ? 'yellow' : 'ok');
      const levels = MATTER_LEVELS.map((level) => {
        const here = lines.filter((l) => l.level === level);
        return {
          level,
          open: here.filter((l) => l.status === 'open').length,
          accepted: here.filter((l) => l.status === 'accepted').length,
          yellow: here.filter((l) => stateOf(l.due) === 'yellow').length,
          red: here.filter((l) => stateOf(l.due) === 'red').length,
        };
      });
      const n = (o: Record<string, number> | undefined, key: string) => Math.max(0, Number(o?.[key] ?? 0));
      return {
        levels,
        transferred: n(town, 'matters_now_transferred'),
        awaitingVisit: n(town, 'matters_now_resolved'),
        month: {
          period,
          raised: n(month, 'matters_raised'),
          resolved: n(month, 'matters_resolved'),
          resolvedOnTime: n(month, 'matters_resolved_on_time'),
          escalated: n(month, 'matters_escalated'),
          reopened: n(month, 'matters_reopened'),
          closed: n(month, 'matters_closed'),
          satisfied: n(month, 'matters_visit_satisfied'),
          basicallySatisfied: n(month, 'matters_visit_basically_satisfied'),
          dissatisfied: n(month, 'matters_visit_dissatisfied'),
        },
        red: lines
          .filter((l) => l.due !== null && l.due < now)
          .slice(0, 50)
          .map((l) => ({ ...l, sla: 'red' as const })),
        supervisedAt: report?.at ?? null,
      };
    },

    categories: (): Promise<MatterCategory[]> => catalogueOf(townId),

    async saveCategory(categoryId: string, body: MatterCategoryBody, now: string): Promise<{ created: boolean; category: MatterCategory }> {
      const beforeItem = await getItem<Item>(k.matterCategory(categoryId), { consistent: true });
      const plan = planCategory(categoryId, body, beforeItem ? categoryView(beforeItem) : undefined, principal.username, now);
      if (!plan.ok) {
        const message = {
          'matter.category_changed': 'Someone changed this category meanwhile; reload it and try again.',
          'matter.category_exists': 'A category with this id exists; change it at its version.',
          'matter.category_not_found': 'No such category in this town.',
        }[plan.code];
        throw new AppError(plan.code, plan.status, message, { field: plan.status === 409 ? 'body.version' : 'params.categoryId' });
      }
      await commitChange(changes.categoryChange(plan.change, now));
      forget(`${townId}|categories`);
      return { created: !beforeItem, category: plan.after };
    },

    async categoryHistory(categoryId: string): Promise<{ categoryId: string; changes: MatterCategoryChange[] }> {
      const log = await queryAll<Item>(k.matterCategoryLogPk(categoryId));
      if (log.length === 0 && !(await getItem<Item>(k.matterCategory(categoryId))))
        throw new AppError('matter.category_not_found', 404, 'No such category in this town.');
      return {
        categoryId,
        changes: log.map((i) => {
          const { at, actor, version, before, after } = publicFields<MatterCategoryChange>(i);
          return { at, actor, version, ...(before ? { before } : {}), after };
        }),
      };
    },

    ladder: () => ladderOf(townId),

    async saveLadder(ladder: LadderConfig, version: number, now: string): Promise<{ ladder: LadderConfig; version: number }> {
      const key = k.matterLadder();
      const item = { ...key, type: 'Config', part: 'MATTER_LADDER', ladder, version: version + 1 };
      const audit = [
        {
          key: k.audit(now, newId(Date.parse(now))),
          actor: principal.username,
          action: 'matter.ladder.change',
          target: 'MATTER_LADDER',
          at: now,
          details: { ...ladder },
        },
      ];
      await commitChange({
        writes: [version === 0 ? { kind: 'create', item, conflictCode: 'matter.ladder_changed' } : { kind: 'replace', item, version }],
        audit,
      }).catch((e: unknown) => {
        if (e instanceof AppError && e.status === 409)
          throw new AppError('matter.ladder_changed', 409, 'Someone changed the ladder meanwhile; reload it and try again.', {
            field: 'body.version',
          });
        throw e;
      });
      forget(`${townId}|ladder`);
      return { ladder, version: version + 1 };
    },

    /** The caller's notifications, newest first (one Query, the last 50). */
    async notifications(): Promise<AppNotification[]> {
      const page = await queryPage<Item>({
        pk: k.notificationsPk(principal.username),
        limit: 50,
        listing: 'notifications',
        forward: false,
      });
      return page.items.map((i): AppNotification => {
        const n = publicFields<AppNotification>(i);
        if (n.kind === 'visits_due') {
          const { notificationId, at, kind, on, dueToday, overdue } = n;
          return { notificationId, at, kind, on, dueToday, overdue };
        }
        if (n.kind === 'mediation_follow_up') {
          const { notificationId, at, kind, caseId, due, overdue } = n;
          return { notificationId, at, kind, caseId, due, overdue };
        }
        const { notificationId, at, kind, matterId, level, state, due, as } = n;
        return { notificationId, at, kind, matterId, level, state, due, as };
      });
    },
  };
}

export { superviseTown, type SupervisionReport } from './supervision';
