import { scanAll } from '@gridline/data/admin';
import { DEFAULT_KEY_GROUPS, DEFAULT_POSTS, DEFAULT_SPECIAL_GROUPS, metricIds, parsePeriod, periodContaining } from '@gridline/domain';

/**
 * Every metric of the county rollup recounted from the records themselves, with a full scan of the
 * table (as no product code may do): the independent check the rollup tests compare with.
 */
export async function recountMetrics(townId: string, period: string): Promise<Record<string, number>> {
  const all = await scanAll();
  const mine = all.filter((i) => String(i.pk).startsWith(`T#${townId}#`));
  const people = mine.filter((i) => i.type === 'Person' && i.status === 'active');
  const months = parsePeriod(period)?.months ?? [];
  const events = mine.filter((i) => i.type === 'PersonEvent' && months.includes(String(i.on).slice(0, 7)));
  const org = (prefix: string) =>
    mine.filter((i) => i.pk === `T#${townId}#ORG` && String(i.sk).startsWith(prefix) && i.status !== 'retired').length;
  const out: Record<string, number> = {
    people: people.length,
    res_registered: people.filter((p) => p.residenceType === 'registered').length,
    res_permanent: people.filter((p) => p.residenceType === 'permanent').length,
    res_floating: people.filter((p) => p.residenceType === 'floating').length,
    households: mine.filter((i) => i.type === 'Household' && i.status !== 'retired' && i.status !== 'closed').length,
    special: people.filter((p) => ((p.tags as string[]) ?? []).length > 0).length,
    key_groups: people.reduce(
      (s, p) => s + ((p.keyTags as string[]) ?? []).filter((t) => DEFAULT_KEY_GROUPS.some((g) => g.id === t)).length,
      0,
    ),
    arrivals: events.filter((e) => e.kind === 'arrival').length,
    departures: events.filter((e) => e.kind === 'departure').length,
    communities: org('COMM#'),
    grids: org('GRID#'),
    courtyards: org('YARD#'),
    staff: mine.filter((i) => i.pk === `T#${townId}#STAFF`).length,
  };
  // The team: records, their appointment events of the period, the coverage items (who answers for a grid).
  const coverage = mine.filter((i) => i.type === 'TeamCoverage');
  const responsible = new Set(coverage.flatMap((c) => Object.keys((c.responsible as Record<string, unknown>) ?? {})));
  const activeGrids = mine.filter((i) => i.pk === `T#${townId}#ORG` && String(i.sk).startsWith('GRID#') && i.status !== 'retired');
  out.coordinators_active = mine.filter((i) => i.type === 'TeamMember' && i.stage === 'appointed').length;
  out.coordinators_appointed = mine.filter(
    (i) => i.type === 'TeamEvent' && i.kind === 'appointed' && months.includes(String(i.at).slice(0, 7)),
  ).length;
  out.grids_responsible = responsible.size;
  out.grids_unassigned = activeGrids.filter((g) => !responsible.has(String(g.gridId))).length;
  out.posts_held = coverage.reduce(
    (s, c) => s + new Set(Object.values((c.holders as Record<string, { postIds: string[] }>) ?? {}).flatMap((h) => h.postIds)).size,
    0,
  );
  // Every active community × every post in use (the catalogue's items; before it has any, the seven of
  // provisioning), less the posts held: read from the records, not from the counters the metric uses.
  const postItems = mine.filter((i) => i.type === 'Post');
  const inUse = postItems.length ? postItems.filter((p) => p.retired !== true).length : DEFAULT_POSTS.length;
  out.posts_unheld = (out.communities ?? 0) * inUse - (out.posts_held ?? 0);
  // Matters: the matter items not closed or merged; the month's flows from their timeline entries (in
  // China time, as the counters count), never from the counters.
  const inMonths = (at: unknown) => months.includes(periodContaining(String(at), 'month'));
  const matterEvents = mine.filter((i) => i.type === 'MatterEvent' && inMonths(i.at));
  const count = (kind: string, also: (e: Record<string, unknown>) => boolean = () => true) =>
    matterEvents.filter((e) => e.kind === kind && also(e)).length;
  const details = (e: Record<string, unknown>) => (e.details ?? {}) as Record<string, unknown>;
  out.matters_active = mine.filter((i) => i.type === 'Matter' && i.status !== 'closed' && i.status !== 'merged').length;
  out.matters_raised = count('raised');
  out.matters_resolved = count('resolved');
  out.matters_resolved_on_time = count('resolved', (e) => details(e).due === null || String(e.at) <= String(details(e).due));
  for (const level of ['grid', 'community', 'town']) out[`matters_resolved_${level}`] = count('resolved', (e) => e.level === level);
  out.matters_escalated = count('escalated') + count('skipped');
  out.matters_overdue = count('supervised', (e) => details(e).state === 'red');
  out.matters_reopened = count('reopened');
  out.matters_closed = count('closed');
  for (const s of ['satisfied', 'basically_satisfied', 'dissatisfied'])
    out[`matters_visit_${s}`] = count('return_visit', (e) => details(e).satisfaction === s);
  // The training ledger: each attendance line credited (attended, not failed) earns its course's hours,
  // counted in the month of the course's date (the course items themselves, not the ledger's totals).
  const courses = new Map(mine.filter((i) => i.type === 'TrainingCourse').map((c) => [String(c.courseId), c]));
  out.training_hours = mine
    .filter((i) => i.type === 'TrainingAttendance' && i.attended === true && i.result !== 'failed')
    .map((i) => courses.get(String(i.courseId)))
    .filter((c) => c !== undefined && months.includes(String(c.on).slice(0, 7)))
    .reduce((s, c) => s + Number(c?.hours ?? 0), 0);
  // Household visits: the visit states themselves, the overdue marks on them, the visits of the period's
  // months by their China day.
  const states = mine.filter((i) => i.type === 'VisitState');
  out.visit_households = states.length;
  out.visit_overdue = states.filter((s) => s.overdue === true).length;
  out.visits = mine.filter((i) => i.type === 'Visit' && months.includes(String(i.on).slice(0, 7))).length;
  // Mediation: every case's timeline, read in its order, in China time as the counters count: received at
  // intake (its level and type), mediated at the first session or outcome, agreements (a broken one, at its
  // reopening, takes its agreement back), failures, joint at the first invitation.
  const cases = new Map(mine.filter((i) => i.type === 'MediationCase').map((c) => [String(c.caseId), c]));
  const timelines = new Map<string, Array<Record<string, unknown>>>();
  for (const e of mine.filter((i) => i.type === 'MediationEvent'))
    timelines.set(String(e.caseId), [...(timelines.get(String(e.caseId)) ?? []), e]);
  const med: Record<string, number> = {};
  const bump = (kind: string, level: string, type: string, n = 1) => {
    for (const key of [`mediation_${kind}`, `mediation_${kind}_${level}`, `mediation_${kind}_type_${type}`]) med[key] = (med[key] ?? 0) + n;
  };
  for (const [caseId, events] of timelines) {
    const type = String(cases.get(caseId)?.disputeType);
    let mediated = false;
    let joint = false;
    for (const e of events.sort((a, b) => String(a.sk).localeCompare(String(b.sk)))) {
      const level = String(e.level);
      const counted = inMonths(e.at);
      if (e.kind === 'taken_in' && counted) bump('received', level, type);
      if ((e.kind === 'session' || e.kind === 'agreed' || e.kind === 'failed') && !mediated) {
        mediated = true;
        if (counted) bump('mediated', level, type);
      }
      if (e.kind === 'agreed' && counted) bump('agreements', level, type);
      if (e.kind === 'reopened' && counted) bump('agreements', String(details(e).level), type, -1);
      if (e.kind === 'failed' && counted) bump('failures', level, type);
      if (e.kind === 'invited' && !joint) {
        joint = true;
        if (counted) bump('joint', level, type);
      }
    }
  }
  for (const id of metricIds().filter((m) => m.startsWith('mediation_'))) out[id] = med[id] ?? 0;
  for (const g of DEFAULT_SPECIAL_GROUPS) out[`tag_${g.id}`] = people.filter((p) => ((p.tags as string[]) ?? []).includes(g.id)).length;
  return out;
}
