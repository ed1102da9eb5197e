import { mediationOf, mediationPlaces } from '@gridline/data/mediation';
import type { MediationActionInput, MediationDetail, MediationIntake, TownPrincipal } from '@gridline/domain';
import type { LocalDirectory } from '@gridline/identity';
import { demoContacts } from './seed-team';
import { demoActors, type DemoPlace, demoPrincipal } from './seed-people-of-town';

/**
 * The demo disputes of one town, made through the same data functions the API's handlers call
 * (`mediationOf(principal).takeIn` and `.act`) by the town's own accounts: a neighbours' dispute being
 * mediated in the first grid's courtyard, a family one escalated to the community with a high risk, a
 * labour one diverted to the town's mediation centre with a judge invited (the demo participant, who has
 * given an opinion), an agreement whose first follow-up is due, a failure referred to the court, and a
 * repeat party who is in two disputes, both flagged.
 */

export type MediationSeedPlace = DemoPlace;

const day = (now: string, days: number) => new Date(Date.parse(now) + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

/** The demo participant of a town: a judge of the county court, invited to the centre's joint mediation. */
export const demoParticipant = (townId: string) => ({ username: `${townId}.judge`, displayName: '县法院 林法官' });

export async function seedDemoMediation(
  townId: string,
  adminUsername: string,
  place: MediationSeedPlace,
  directory: LocalDirectory,
  password: string,
  now: string,
): Promise<void> {
  // The staff and the team were just seeded: read the posts again rather than a minute-old memory.
  await mediationPlaces(townId, true);
  const who = demoActors(townId, adminUsername, place);
  const judge = demoParticipant(townId);
  await directory.ensureUser({ ...judge, role: 'participant', townId, scope: { communities: [], grids: [] } }, password);
  const participant = demoPrincipal(townId, judge.username, 'participant', [], []);
  const repeat = demoContacts(70).idNumber;
  let n = 0;
  const caseId = () => `${townId}-demo-m${++n}`;
  const take = async (by: TownPrincipal, body: Omit<MediationIntake, 'caseId' | 'gridId'>) =>
    (await mediationOf(by).takeIn({ ...body, caseId: caseId(), gridId: place.gridId }, now)).detail;
  const act = async (by: TownPrincipal, d: MediationDetail, step: Record<string, unknown>) =>
    mediationOf(by).act(d.case.caseId, { ...step, version: d.case.version } as MediationActionInput, now);
  const session = (notes: string) => ({
    action: 'session',
    on: day(now, 0),
    place: '院落议事亭',
    attendees: ['双方当事人', '网格员'],
    notes,
  });

  // Being mediated in the courtyard: a session held.
  const a = await take(who.grid, {
    parties: [
      { name: '钱建华', idNumber: repeat, phone: '13900007001' },
      { name: '孙丽', phone: '13900007002' },
    ],
    type: 'neighbour',
    summary: '楼上空调外机滴水至楼下阳台，双方多次争吵',
    risk: { level: 'medium' },
    foundBy: { how: 'visit' },
    level: 'courtyard',
  });
  await act(who.grid, a, session('双方陈述，约定三日内查看外机排水'));

  // Escalated to the community, with a high risk.
  const b = await take(who.grid, {
    parties: [{ name: '周海' }, { name: '周洋' }],
    type: 'family',
    summary: '兄弟二人因赡养老母亲及房屋分配争执，曾有肢体冲突',
    risk: { level: 'high', reason: '曾发生肢体冲突，情绪激动' },
    foundBy: { how: 'walk_in' },
    level: 'courtyard',
  });
  await act(who.grid, b, { action: 'escalate', reason: '涉及房产分配，需社区调委会调解' });

  // Diverted to the town's mediation centre; joint mediation with a judge, who gave an opinion.
  let c = await take(who.admin, {
    parties: [{ name: '某建筑劳务公司' }, { name: '王师傅等六名工人', phone: '13900007003' }],
    type: 'labour',
    summary: '工程完工后劳务公司拖欠六名工人工资共计四万余元',
    risk: { level: 'medium' },
    foundBy: { how: 'referral' },
    level: 'town',
    diversionReason: '涉及多名工人与企业，直接由镇调解中心受理',
  });
  c = await act(who.admin, c, { action: 'invite', role: 'judge', name: judge.displayName, until: day(now, 30), username: judge.username });
  await act(participant, c, { action: 'note', text: '建议先核对考勤与工程结算单，再行协商分期支付方案。' });

  // An agreement signed 35 days ago: its first follow-up is due.
  let d = await take(who.grid, {
    parties: [{ name: '李桂芳' }, { name: '赵德明' }],
    type: 'property',
    summary: '共用通道堆放杂物引发争执',
    risk: { level: 'low' },
    foundBy: { how: 'visit' },
    level: 'courtyard',
  });
  d = await act(who.grid, d, session('双方同意清理通道'));
  await act(who.grid, d, {
    action: 'agree',
    agreement: { facts: '共用通道堆放杂物影响通行', terms: ['赵德明三日内清理杂物', '今后双方不在通道堆物'], signedOn: day(now, -35) },
  });

  // A failure referred to the court.
  const e = await take(who.admin, {
    parties: [{ name: '刘强' }, { name: '陈伟' }],
    type: 'debt',
    summary: '个人借款五万元到期未还',
    risk: { level: 'low' },
    foundBy: { how: 'walk_in' },
    level: 'community',
    diversionReason: '金额较大，直接由社区调委会受理',
  });
  await act(who.station, e, {
    action: 'fail',
    failure: { referral: 'litigation', reason: '债务人否认借款事实，建议通过诉讼解决' },
  });

  // The same person again, in another dispute: both cases are flagged as a repeat party.
  await take(who.grid, {
    parties: [{ name: '钱建华', idNumber: repeat }, { name: '吴敏' }],
    type: 'neighbour',
    summary: '楼道噪音扰民，夜间装修',
    risk: { level: 'low' },
    foundBy: { how: 'walk_in' },
    level: 'courtyard',
  });
}
