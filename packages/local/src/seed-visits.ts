import { getItem, queryAll, runInScope, townKeys, townPrefix } from '@gridline/data';
import { recordVisit } from '@gridline/data/visits';
import { runVisitCycles } from '@gridline/data/visits/backfill';
import { visitCyclesAdminOf } from '@gridline/data/visits/cycles';
import { remindTown } from '@gridline/data/visits/reminders';
import { addDays, FIRST_ADMIN_SCOPE, newId, type TownPrincipal, type VisitBody, visitDay } from '@gridline/domain';

/**
 * The demo towns' household visits (issue 14): five weeks of them, recorded by each grid's own
 * coordinator through the same data function the API's `POST /town/visits` calls, each with the clock
 * of its day ("dated back"). First the cycles job makes the visit state of every household the import
 * made (as a town's first save of its cycles would); then most households are visited within their
 * cycle — special groups weekly or fortnightly, the rest some time in the month, some not yet — and about
 * one in eight is left past its due. Last the 07:00 job runs, as the scheduler would, so the overdue marks,
 * the coverage counters and each coordinator's reminder are what a real town's morning would show.
 */

/** How far back the demo's visits go, in days. */
export const DEMO_VISIT_SPAN_DAYS = 35;

export type DemoVisits = { townId: string; visits: number; households: number; overdue: number };

/** A stable number from an id, so a seed run always chooses the same households for the same fates. */
const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/** The days back on which a household is visited: its last visit, and earlier ones a cycle apart. */
export function demoVisitDays(householdId: string, index: number, cycleDays: number, householdDays: number): number[] {
  const h = hash(householdId);
  const fate = h % 10;
  // One household in eight of each grid is left past its due (a few days), so every coordinator has some;
  // of the others, the plain households (the monthly ones) are partly not visited yet in these five
  // weeks; the rest are within their cycle.
  let last: number;
  if (index % 8 === 3) last = cycleDays + 1 + (h % 4);
  else if (cycleDays >= householdDays && fate <= 3) return [];
  else last = 1 + (h % Math.max(1, cycleDays - 1));
  const days: number[] = [];
  for (let d = last; d <= DEMO_VISIT_SPAN_DAYS; d += cycleDays) days.push(d);
  return days;
}

type Item = Record<string, unknown>;
type State = Item & { gridId: string; householdId: string; cycleDays: number };
type Staff = { username: string; role: string; gridIds?: string[]; communityIds?: string[]; status?: string };

/** Seeds one town's visits at `now` (after its book is imported). */
export async function seedDemoVisits(townId: string, now: string): Promise<DemoVisits> {
  return runInScope({ requestId: `seed-visits-${townId}`, tenant: townId, allowedPrefixes: [townPrefix(townId)] }, async () => {
    const k = townKeys(townId);
    const admin: TownPrincipal = {
      kind: 'town',
      townId,
      userId: `${townId}.admin`,
      username: `${townId}.admin`,
      role: 'town_admin',
      scope: FIRST_ADMIN_SCOPE,
    };
    // The states of households that predate visits, as the town's first save of its cycles makes them.
    const cycles = visitCyclesAdminOf(admin);
    const current = await cycles.get();
    const { runId } = await cycles.save({ version: current.version, householdDays: current.householdDays, byTag: current.byTag }, now);
    const run = await runVisitCycles(townId, runId, now, { sleep: async () => undefined });
    if (run.status !== 'done') throw new Error(`the demo's visit cycles run ended ${run.status}`);

    const staff = (await queryAll<Staff>(k.staffPk)).filter((s) => s.role === 'grid_coordinator' && s.status !== 'disabled');
    const grids = (await queryAll<Item>(k.orgPk, 'GRID#')).filter((g) => g.status !== 'retired');
    const planned: Array<{ at: string; who: TownPrincipal; body: VisitBody }> = [];
    let households = 0;
    for (const g of grids) {
      const gridId = String(g.gridId);
      const coordinator = staff.find((s) => (s.gridIds ?? []).includes(gridId));
      if (!coordinator) continue;
      const who: TownPrincipal = {
        kind: 'town',
        townId,
        userId: coordinator.username,
        username: coordinator.username,
        role: 'grid_coordinator',
        scope: { communities: coordinator.communityIds ?? [], grids: coordinator.gridIds ?? [] },
      };
      const [partition, people] = await Promise.all([queryAll<Item>(k.householdsPk(gridId), 'V#'), queryAll<Item>(k.peoplePk(gridId))]);
      for (const [index, s] of (partition as State[]).entries()) {
        households++;
        const members = people.filter((p) => p.householdId === s.householdId && p.status === 'active');
        const special = s.cycleDays < current.householdDays;
        for (const [n, back] of demoVisitDays(s.householdId, index, s.cycleDays, current.householdDays).entries()) {
          const day = addDays(visitDay(now), -back);
          // Between 09:00 and 17:00 China time, spread over the day by household.
          const at = new Date(Date.parse(`${day}T01:00:00.000Z`) + ((hash(s.householdId) + n) % 8) * 3_600_000 + n * 60_000).toISOString();
          const h = hash(`${s.householdId}#${back}`);
          const found = h % 9 === 0;
          planned.push({
            at,
            who,
            body: {
              visitId: newId(Date.parse(at)),
              gridId,
              householdId: s.householdId,
              visitedAt: at,
              kind: special ? 'special_group' : 'routine',
              seen: members.slice(0, 1 + (h % 2)).map((p) => String(p.personId)),
              checks: found ? ['needs_help'] : [],
              ...(found ? { note: special ? '老人反映腿脚不便，需助餐服务' : '住户反映楼道灯坏了' } : {}),
            },
          });
        }
      }
    }
    planned.sort((a, b) => (a.at < b.at ? -1 : 1));
    for (const v of planned) await recordVisit(v.who, v.body, new Date(Date.parse(v.at) + 120_000).toISOString());

    // The morning's run, as the scheduler would make it: marks, counters, reminders.
    await remindTown(townId, now);
    const town = await getItem<Record<string, number>>(k.counters('TOWN'), { consistent: true });
    return { townId, visits: planned.length, households, overdue: Number(town?.visit_overdue ?? 0) };
  });
}
