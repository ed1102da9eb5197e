import {
  AppError,
  type CategorySla,
  handlesLevel,
  LEVEL_HANDLERS,
  levelsAbove,
  type Matter,
  type MatterLevel,
  matterClock,
  periodContaining,
  type SlaState,
  type TownRole,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { commitChange, getItem, type Item, queryAll, type Write } from '../ops';
import { type MatterItems, matterItems, storedMatter } from './items';
import { ladderOf, workCalendarFor } from './index';

export type SupervisionReport = { townId: string; at: string; running: number; marked: number; moved: number; skipped: number };

const ACTOR = 'job:supervision';
const RANK: Record<SlaState, number> = { ok: 0, yellow: 1, red: 2 };
const NOTIFY_DAYS = 30;
const MAX_RECIPIENTS = 20;

type Staff = { username: string; role: TownRole; communityIds?: string[]; gridIds?: string[]; status?: string };

/**
 * The supervision (督办) of one town at `now`, run every 15 minutes: every running clock is counted
 * again from the matter's start, SLA, pauses and the calendars as they are now (decision 83). A clock
 * whose due moved is moved in the queues; a matter turning yellow or red gets a 督办 entry in its
 * timeline, the mark on its item and entries, in-app notifications to whoever holds it (or handles
 * its level) and to the level above, and, the first time it turns red, the month's overdue counters —
 * one transaction per matter, conditional on the matter's version, so a user's action meanwhile wins
 * and the next run looks again. A rerun finds every mark already set and writes nothing.
 */
export async function superviseTown(townId: string, now: string): Promise<SupervisionReport> {
  const items: MatterItems = matterItems(townId);
  const k = items.keys;
  const [entries, cats, cal, { ladder }] = await Promise.all([
    queryAll<Item>(k.matterDuePk),
    queryAll<Item>(k.matterCategoriesPk),
    workCalendarFor(townId),
    ladderOf(townId),
  ]);
  const slaOf = new Map(cats.map((c) => [String(c.categoryId), c.sla as CategorySla]));
  let staff: Staff[] | undefined;
  const handlersOf = async (m: Matter, level: MatterLevel): Promise<string[]> => {
    staff ??= (await queryAll<Staff>(k.staffPk)).filter((s) => s.status !== 'disabled');
    return staff
      .filter((s) => s.role === LEVEL_HANDLERS[level].role)
      .filter((s) => handlesLevel({ role: s.role, scope: { communities: s.communityIds ?? [], grids: s.gridIds ?? [] } }, m, level))
      .map((s) => s.username);
  };

  const report: SupervisionReport = { townId, at: now, running: entries.length, marked: 0, moved: 0, skipped: 0 };
  for (const entry of entries) {
    const sla = slaOf.get(String(entry.categoryId));
    if (!sla) continue;
    const shape = { ...entry, matterId: entry.matterId, status: entry.status, level: entry.level } as unknown as Matter;
    const clock = matterClock(shape, sla, cal, now);
    const mark = (entry.slaMark as SlaState | undefined) ?? 'ok';
    const state: SlaState = clock.state ?? 'ok';
    const moved = clock.due !== entry.due;
    const raised = RANK[state] > RANK[mark];
    const lowered = RANK[state] < RANK[mark];
    if (!moved && !raised && !lowered) continue;

    const item = await getItem<Item>(k.matter(String(entry.matterId)), { consistent: true });
    if (!item) continue;
    const before = storedMatter(item);
    const m = before.matter;
    if (m.status !== entry.status || m.level !== entry.level || m.levelSince !== entry.levelSince) {
      report.skipped++;
      continue;
    }
    const after = { matter: m, clock: { due: clock.due, kind: clock.kind }, mark: state };
    const full = items.matter(after);
    const set: Item = { clockDue: clock.due, slaMark: state };
    if (full.gsi1sk) set.gsi1sk = full.gsi1sk;
    if (full.gsi2sk) set.gsi2sk = full.gsi2sk;
    const writes: Write[] = [{ kind: 'annotate', key: k.matter(m.matterId), set, expect: { version: m.version } }];
    const oldKey = k.matterDue(String(entry.due), m.matterId);
    const newKey = items.dueKeyOf(after);
    if (moved) writes.push({ kind: 'remove', key: oldKey });
    if (newKey) writes.push({ kind: 'put', item: items.dueEntry(newKey, after) });
    writes.push({ kind: 'put', item: items.gridEntry(after) }, { kind: 'put', item: items.categoryEntry(after) });
    const counters = [];
    const audit = [];
    if (raised && clock.due) {
      writes.push({
        kind: 'put',
        item: items.event(
          m.matterId,
          { kind: 'supervised', at: now, actor: ACTOR, level: m.level, status: m.status, details: { state, due: clock.due } },
          m.version,
          90 + RANK[state],
        ),
      });
      const handlers = m.assignee ? [m.assignee] : await handlersOf(m, m.level);
      const above = levelsAbove(ladder, m.level)[0];
      const bosses = above ? await handlersOf(m, above) : [];
      const expiresAt = Math.floor(Date.parse(now) / 1000) + NOTIFY_DAYS * 86_400;
      const told = new Set<string>();
      for (const [as, people] of [
        ['handler', handlers],
        ['level_above', bosses],
      ] as const)
        for (const username of people) {
          if (told.has(username) || told.size >= MAX_RECIPIENTS) continue;
          told.add(username);
          const notificationId = `${m.matterId}-${state}-${m.version}`;
          writes.push({
            kind: 'put',
            item: {
              ...k.notification(username, now, notificationId),
              type: 'Notification',
              notificationId,
              at: now,
              kind: 'supervision',
              matterId: m.matterId,
              level: m.level,
              state,
              due: clock.due,
              as,
              expiresAt,
            },
          });
        }
      if (state === 'red') {
        const month = `MONTH#${periodContaining(now, 'month')}`;
        counters.push({
          key: k.counters(month),
          deltas: { matters_overdue: 1, [`matters_overdue_${m.level}`]: 1, [`matters_overdue_cat_${m.categoryId}`]: 1 },
        });
      }
      audit.push(
        auditEntry(k.audit, { actor: ACTOR, action: 'matter.supervise', target: m.matterId, at: now, details: { state, due: clock.due } }),
      );
    }
    try {
      await commitChange({ writes, audit, counters });
      if (raised) report.marked++;
      if (moved) report.moved++;
    } catch (e) {
      // Someone acted on the matter meanwhile: their change stands, and the next run counts it again.
      if (!(e instanceof AppError && e.status === 409)) throw e;
      report.skipped++;
    }
  }
  await commitChange({ writes: [{ kind: 'put', item: { ...k.report('supervision'), type: 'Report', ...report } }], audit: [] });
  return report;
}
