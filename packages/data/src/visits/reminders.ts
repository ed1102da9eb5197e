import {
  AppError,
  overdueMarkCounters,
  overdueMarkFor,
  reminderCounts,
  type TownPrincipal,
  type VisitReminderView,
  visitDay,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { type Key, townKeys } from '../keys';
import { type Change, commitChange, getItem, type Item, queryAll, queryPage, type Write } from '../ops';

export type ReminderReport = {
  townId: string;
  at: string;
  today: string;
  marked: number;
  skipped: number;
  reminders: number;
  notified: number;
};

const ACTOR = 'job:visit-reminders';
const NOTIFY_DAYS = 30;

type Entry = Item & { gridId: string; householdId: string; due: string; overdue?: boolean };
type Staff = { username: string; role: string; gridIds?: string[]; communityIds?: string[]; status?: string };

/** The due entries of a grid up to `through` (its due list's index, gsi2), most overdue first, every page. */
export async function dueEntriesOf(townId: string, gridId: string, through: string): Promise<Entry[]> {
  const k = townKeys(townId);
  const out: Entry[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<Entry>({
      pk: k.visitDueGridPk(gridId),
      index: 'gsi2',
      skBetween: ['0', `${through}#\uffff`],
      limit: 100,
      cursor,
      listing: `visit-due-job:${gridId}`,
    });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * Which grids each coordinator account answers for: the grids the team's coverage makes them
 * responsible for (through their appointment's account), else the grids of their account's scope.
 */
async function coordinatorGrids(townId: string, activeGrids: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const k = townKeys(townId);
  const [staff, members, coverage] = await Promise.all([
    queryAll<Staff>(k.staffPk),
    queryAll<Item>(k.teamPk, 'C#'),
    queryAll<Item>(k.teamCoveragePk),
  ]);
  const accountOf = new Map<string, string>();
  for (const m of members) {
    const username = (m.appointment as { username?: string } | undefined)?.username;
    if (username && m.stage === 'appointed') accountOf.set(String(m.coordinatorId), username);
  }
  const responsible = new Map<string, string[]>();
  for (const c of coverage)
    for (const [gridId, r] of Object.entries((c.responsible ?? {}) as Record<string, { coordinatorId: string }>)) {
      const username = accountOf.get(r.coordinatorId);
      if (!username || !activeGrids.has(gridId)) continue;
      responsible.set(username, [...(responsible.get(username) ?? []), gridId]);
    }
  const out = new Map<string, string[]>();
  for (const s of staff) {
    if (s.role !== 'grid_coordinator' || s.status === 'disabled') continue;
    const grids = responsible.get(s.username) ?? (s.gridIds ?? []).filter((g) => activeGrids.has(g));
    out.set(s.username, [...new Set(grids)].sort());
  }
  return out;
}

/**
 * The morning reminders of one town (07:00 China time): every visit state whose due has passed and is
 * not marked yet is marked overdue — its mark and the `visit_overdue` counters of the town and its grid
 * in one transaction, conditional on the state being unmarked at that due, so a visit meanwhile wins
 * and a rerun marks nothing twice. Then each coordinator's reminder item (due today, overdue, in the
 * grids they answer for) and, once a day, one in-app notification. A rerun the same day writes the
 * same reminders and no new notification.
 */
export async function remindTown(townId: string, now: string): Promise<ReminderReport> {
  const k = townKeys(townId);
  const today = visitDay(now);
  const org = await queryAll<Item>(k.orgPk, 'GRID#');
  const grids = org.filter((g) => g.type === 'Grid' && g.status !== 'retired').map((g) => String(g.gridId));
  const report: ReminderReport = { townId, at: now, today, marked: 0, skipped: 0, reminders: 0, notified: 0 };
  const counts = new Map<string, { dueToday: number; overdue: number }>();

  for (const gridId of grids) {
    const entries = await dueEntriesOf(townId, gridId, today);
    for (const e of entries) {
      if (overdueMarkFor({ due: e.due, overdue: e.overdue === true }, today) !== 'mark') continue;
      const change: Change = {
        writes: [
          {
            kind: 'annotate',
            key: { pk: String(e.pk), sk: String(e.sk) },
            set: { overdue: true, overdueSince: today },
            expect: { overdue: false, due: e.due },
          },
        ],
        audit: [],
        counters: overdueMarkCounters(gridId, 1).map((c) => ({ key: k.counters(c.scope), deltas: c.deltas })),
      };
      try {
        await commitChange(change);
        report.marked++;
      } catch (err) {
        // A visit (or a recompute) moved the due meanwhile: its change stands.
        if (!(err instanceof AppError && err.status === 409)) throw err;
        report.skipped++;
      }
    }
    counts.set(gridId, reminderCounts(entries, today));
  }

  const active = new Set(grids);
  const expiresAt = Math.floor(Date.parse(now) / 1000) + NOTIFY_DAYS * 86_400;
  for (const [username, mine] of await coordinatorGrids(townId, active)) {
    const dueToday = mine.reduce((s, g) => s + (counts.get(g)?.dueToday ?? 0), 0);
    const overdue = mine.reduce((s, g) => s + (counts.get(g)?.overdue ?? 0), 0);
    const before = await getItem<Item>(k.visitReminder(username), { consistent: true });
    // One notification a day, and only when something is due: the reminder item remembers the day it told.
    const notify = before?.notifiedOn !== today && dueToday + overdue > 0;
    const writes: Write[] = [
      {
        kind: 'put',
        item: {
          ...k.visitReminder(username),
          type: 'VisitReminder',
          username,
          on: today,
          dueToday,
          overdue,
          grids: mine,
          builtAt: now,
          ...(notify ? { notifiedOn: today } : before?.notifiedOn ? { notifiedOn: before.notifiedOn } : {}),
        },
      },
    ];
    if (notify) {
      const notificationId = `visits-${today}`;
      const note: Key = k.notification(username, now, notificationId);
      writes.push({
        kind: 'put',
        item: { ...note, type: 'Notification', notificationId, at: now, kind: 'visits_due', on: today, dueToday, overdue, expiresAt },
      });
    }
    await commitChange({
      writes,
      audit: notify
        ? [auditEntry(k.audit, { actor: ACTOR, action: 'visit.remind', target: username, at: now, details: { dueToday, overdue } })]
        : [],
    });
    report.reminders++;
    if (notify) report.notified++;
  }
  await commitChange({ writes: [{ kind: 'put', item: { ...k.report('visit-reminders'), type: 'Report', ...report } }], audit: [] });
  return report;
}

/** The caller's reminder as the morning job built it; nothing counted yet answers zeros. */
export async function reminderOf(principal: TownPrincipal): Promise<VisitReminderView> {
  const item = await getItem<Item>(townKeys(principal.townId).visitReminder(principal.username));
  if (!item) return { on: null, dueToday: 0, overdue: 0 };
  return { on: String(item.on), dueToday: Number(item.dueToday ?? 0), overdue: Number(item.overdue ?? 0) };
}
