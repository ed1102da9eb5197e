import { townKeys } from '../keys';
import { auditEntry } from '../audit';
import { commitChange, type Item, queryAll } from '../ops';
import { readCatalogue } from '../posts';

import { type CoverageState, coverageCounts, type Reconciliation } from '@gridline/domain';

export type { Reconciliation };
export type Drift = { counter: string; metric: string; stored: number; expected: number };

const add = (into: Map<string, Record<string, number>>, sk: string, metric: string, n = 1) => {
  const c = into.get(sk) ?? {};
  c[metric] = (c[metric] ?? 0) + n;
  into.set(sk, c);
};

/**
 * Recounts a town from its records — org chart, staff, the team (records by stage, coverage items),
 * active households and people, grid by grid, their visit states, and the matters of each grid by status
 * with Query (never Scan) — and compares with the maintained counters. Monthly arrival/departure counters
 * are event counts and are not recounted. With `fix`, the counters are set to the recount, each batch
 * with an audit entry naming `actor` (default: the reconcile job) in the same transaction.
 */
export async function recountTown(
  townId: string,
  opts: { fix?: boolean; actor?: string; now?: string } = {},
): Promise<{ drift: Drift[]; people: number; households: number }> {
  const k = townKeys(townId);
  const expected = new Map<string, Record<string, number>>();
  const org = await queryAll<Item>(k.orgPk);
  const active = (i: Item) => i.status !== 'retired';
  for (const [type, metric] of [
    ['Community', 'communities'],
    ['Grid', 'grids'],
    ['Courtyard', 'courtyards'],
  ] as const)
    add(expected, 'TOWN', metric, org.filter((i) => i.type === type && active(i)).length);
  add(expected, 'TOWN', 'staff', (await queryAll(k.staffPk)).length);
  // The team (decisions 60–61): its records by stage, and from each community's coverage item the grids
  // with a responsible coordinator and the posts someone holds, counted as the team's rules count them.
  for (const m of await queryAll<Item>(k.teamPk)) add(expected, 'TOWN', `team_stage_${String(m.stage)}`);
  // The posts in use of the catalogue (posts/; a town whose catalogue is not stored yet: its configuration's).
  const catalogue = await readCatalogue(townId, { consistent: true });
  add(expected, 'TOWN', 'posts_active', catalogue.posts.filter((p) => !p.retired).length);
  for (const c of await queryAll<Item>(k.teamCoveragePk)) {
    const n = coverageCounts(c as unknown as CoverageState);
    add(expected, 'TOWN', 'team_grids_responsible', n.gridsResponsible);
    add(expected, 'TOWN', 'team_posts_held', n.postsHeld);
  }

  const members = new Map<string, number>();
  const householdList: Array<{ gridId: string; householdId: string; stored: number }> = [];
  let people = 0;
  // Every grid ever made, retired ones too: their records stay and stay counted.
  for (const grid of org.filter((i) => i.type === 'Grid')) {
    const gridId = String(grid.gridId);
    for (const h of await queryAll<Item>(k.householdsPk(gridId))) {
      // The partition also holds each household's visit state (`V#…`, issue 14): the visit stocks.
      if (String(h.sk).startsWith('V#')) {
        for (const sk of ['TOWN', `GRID#${gridId}`]) {
          add(expected, sk, 'visit_households');
          if (h.overdue === true) add(expected, sk, 'visit_overdue');
        }
        continue;
      }
      householdList.push({ gridId, householdId: String(h.householdId), stored: Number(h.members ?? 0) });
      // A closed household stays in the book but no longer counts as one.
      if (h.status !== 'closed')
        for (const sk of ['TOWN', `GRID#${gridId}`, ...(h.courtyardId ? [`YARD#${String(h.courtyardId)}`] : [])])
          add(expected, sk, 'households');
      members.set(`${gridId}|${String(h.householdId)}`, 0);
    }
    for (const p of await queryAll<Item>(k.peoplePk(gridId))) {
      if (p.status !== 'active') continue;
      people += 1;
      const key = `${gridId}|${String(p.householdId)}`;
      members.set(key, (members.get(key) ?? 0) + 1);
      const tags = (p.tags as string[] | undefined) ?? [];
      const metrics = ['people', `res_${String(p.residenceType)}`, ...(tags.length ? ['special'] : []), ...tags.map((t) => `tag_${t}`)];
      for (const sk of ['TOWN', `GRID#${gridId}`, ...(p.courtyardId ? [`YARD#${String(p.courtyardId)}`] : [])])
        for (const m of metrics) add(expected, sk, m);
      for (const t of (p.keyTags as string[] | undefined) ?? []) add(expected, 'TOWN', `ktag_${t}`);
    }
  }

  // Matters (issue 13): from each grid's list of its matters, the stock by status and the matters in hand.
  for (const grid of org.filter((i) => i.type === 'Grid')) {
    const gridId = String(grid.gridId);
    for (const m of await queryAll<Item>(k.matterGridPk(gridId))) {
      add(expected, 'TOWN', `matters_now_${String(m.status)}`);
      if (m.status !== 'closed' && m.status !== 'merged') for (const sk of ['TOWN', `GRID#${gridId}`]) add(expected, sk, 'matters_active');
    }
  }

  const stored = new Map((await queryAll<Item>(k.countersPk)).map((c) => [String(c.sk), c]));
  const drift: Drift[] = [];
  for (const sk of new Set([...expected.keys(), ...[...stored.keys()].filter((s) => !s.startsWith('MONTH#'))])) {
    const want = expected.get(sk) ?? {};
    const have = stored.get(sk) ?? {};
    const metrics = new Set([...Object.keys(want), ...Object.keys(have).filter((m) => typeof have[m] === 'number' && m !== 'version')]);
    for (const m of metrics) {
      const s = typeof have[m] === 'number' ? (have[m] as number) : 0;
      const e = want[m] ?? 0;
      if (s !== e) drift.push({ counter: sk, metric: m, stored: s, expected: e });
    }
  }
  const householdDrift: Array<{ gridId: string; householdId: string; delta: number }> = [];
  for (const h of householdList) {
    const want = members.get(`${h.gridId}|${h.householdId}`) ?? 0;
    if (h.stored !== want) {
      drift.push({ counter: `HOUSEHOLD#${h.householdId}`, metric: 'members', stored: h.stored, expected: want });
      householdDrift.push({ gridId: h.gridId, householdId: h.householdId, delta: want - h.stored });
    }
  }

  if (opts.fix && drift.length) {
    const counters = [
      ...drift
        .filter((d) => !d.counter.startsWith('HOUSEHOLD#'))
        .map((d) => ({ key: k.counters(d.counter), deltas: { [d.metric]: d.expected - d.stored } })),
      ...householdDrift.map((h) => ({ key: k.household(h.gridId, h.householdId), deltas: { members: h.delta } })),
    ];
    // mergeCounters (inside commitChange) folds several metrics of one counter item into one action.
    const at = opts.now ?? new Date().toISOString();
    for (let i = 0; i < counters.length; i += 90) {
      const batch = counters.slice(i, i + 90);
      const audit = auditEntry(k.audit, {
        actor: opts.actor ?? 'job:reconcile',
        action: 'counters.reconciled',
        target: 'COUNT',
        at,
        details: { counters: batch.length },
      });
      await commitChange({ writes: [], audit: [audit], counters: batch });
    }
  }
  return { drift, people, households: householdList.length };
}

const REPORTED_DRIFT = 200;

/**
 * Recounts a town (fixing with `fix`) and keeps the outcome as the town's latest reconcile report.
 * Runs inside a scope that may touch the town: its own request, the job's, or the county acting for it.
 */
export async function reconcileTown(townId: string, opts: { now: string; fix?: boolean; actor?: string }): Promise<Reconciliation> {
  const out = await recountTown(townId, opts);
  const fixed = Boolean(opts.fix && out.drift.length);
  const drift = out.drift.slice(0, REPORTED_DRIFT);
  await commitChange({
    writes: [
      {
        kind: 'put',
        item: { ...townKeys(townId).report('RECONCILE'), type: 'Report', at: opts.now, drift, driftCount: out.drift.length, fixed },
      },
    ],
    audit: [],
  });
  return { townId, at: opts.now, fixed, people: out.people, households: out.households, driftCount: out.drift.length, drift };
}

/**
 * A reconciliation as county IT may see it: counts only. Drift of single households' member counts is
 * folded into one number, so nothing below a counter of the org chart leaves the town.
 */
export function countyReconciliation(r: Reconciliation) {
  const perHousehold = r.drift.filter((d) => d.counter.startsWith('HOUSEHOLD#'));
  return {
    townId: r.townId,
    at: r.at,
    fixed: r.fixed,
    people: r.people,
    households: r.households,
    driftCount: r.driftCount,
    drift: r.drift.filter((d) => !d.counter.startsWith('HOUSEHOLD#')),
    householdsWithDrift: perHousehold.length,
  };
}
