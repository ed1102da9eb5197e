import { mattersOf, superviseTown } from '@gridline/data/matters';
import type { MatterActionInput, MatterDetail, MatterIntake } from '@gridline/domain';
import { demoActors, type DemoPlace } from './seed-people-of-town';

/**
 * The demo matters of one town, made through the same data functions the API's handlers call
 * (`mattersOf(principal).raise` and `.act`) by the town's own accounts: the coordinator of the first
 * grid, the first community's station, the town admin. Every state of the ladder is there — open and
 * accepted at each level, an extension waiting, a transfer to a county department, resolved and
 * waiting for the return visit, closed after a visit and without one, reopened after a dissatisfied
 * visit, a merged duplicate — and two raised ten and twelve days ago, which the supervision job (run
 * at the end, as the scheduler would) marks red, with its notifications.
 */

export type MatterSeedPlace = DemoPlace;

type Step = { who: 'grid' | 'station' | 'admin'; act: Record<string, unknown> };
type DemoMatter = { intake: Omit<MatterIntake, 'gridId'>; steps: Step[]; hoursAgo?: number };

const reporter = (name: string, phone?: string) => ({ name, ...(phone ? { phone } : {}) });

const MATTERS: DemoMatter[] = [
  {
    intake: {
      categoryId: 'sanitation',
      description: '3栋楼道堆放杂物，堵塞消防通道',
      reporter: reporter('李阿姨', '13912345678'),
      urgency: 'normal',
      channel: 'coordinator',
    },
    steps: [],
  },
  {
    intake: {
      categoryId: 'city',
      description: '小区东门路灯连续三晚不亮',
      reporter: reporter('张先生'),
      urgency: 'normal',
      channel: 'phone',
    },
    steps: [{ who: 'grid', act: { action: 'accept', note: '已联系物业电工' } }],
  },
  {
    intake: {
      categoryId: 'service',
      description: '独居老人申请助餐服务，需社区审核',
      reporter: reporter('王大爷', '13800002222'),
      urgency: 'normal',
      channel: 'visit',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'escalate', reason: '助餐资格需社区工作站审核' } },
    ],
  },
  {
    intake: {
      categoryId: 'dispute',
      description: '楼上楼下因漏水赔偿发生争执',
      reporter: reporter('赵女士', '13700003333'),
      urgency: 'urgent',
      channel: 'hotline',
      hotlineRef: '12345-20261201-0087',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'escalate', reason: '双方分歧较大，需社区调解' } },
      { who: 'station', act: { action: 'accept' } },
      { who: 'station', act: { action: 'request_extension', until: 'IN_5_DAYS', reason: '需等待维修鉴定结果' } },
    ],
  },
  {
    intake: {
      categoryId: 'city',
      description: '河道沿岸违章搭建棚屋',
      reporter: reporter('匿名群众'),
      urgency: 'normal',
      channel: 'walk_in',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'skip', to: 'town', reason: '涉及违建拆除，需镇综合执法' } },
      { who: 'admin', act: { action: 'accept' } },
      { who: 'admin', act: { action: 'transfer', department: '县自然资源和规划局', reason: '河道管理范围内建设，属县局职权' } },
    ],
  },
  {
    intake: {
      categoryId: 'sanitation',
      description: '垃圾分类点满溢未及时清运',
      reporter: reporter('孙阿姨'),
      urgency: 'normal',
      channel: 'coordinator',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'resolve', resolution: '已通知环卫公司加派清运车次' } },
    ],
  },
  {
    intake: {
      categoryId: 'city',
      description: '人行道地砖松动，老人易绊倒',
      reporter: reporter('周先生', '13600004444'),
      urgency: 'normal',
      channel: 'phone',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'resolve', resolution: '已报市政维修，地砖重新铺设' } },
      { who: 'grid', act: { action: 'return_visit', reachedBy: 'phone', satisfaction: 'satisfied' } },
    ],
  },
  {
    intake: {
      categoryId: 'sanitation',
      description: '餐馆油烟直排扰民',
      reporter: reporter('吴女士', '13500005555'),
      urgency: 'normal',
      channel: 'walk_in',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'escalate', reason: '需社区联系市场监管' } },
      { who: 'station', act: { action: 'accept' } },
      { who: 'station', act: { action: 'resolve', resolution: '已约谈店主，限期安装净化器' } },
      {
        who: 'station',
        act: { action: 'return_visit', reachedBy: 'in_person', satisfaction: 'dissatisfied', reason: '净化器未安装，油烟依旧' },
      },
    ],
  },
  {
    intake: {
      categoryId: 'other',
      description: '咨询居住证办理材料',
      reporter: reporter('外来务工人员陈某'),
      urgency: 'normal',
      channel: 'walk_in',
    },
    steps: [
      { who: 'grid', act: { action: 'accept' } },
      { who: 'grid', act: { action: 'resolve', resolution: '已当面告知所需材料并代为预约' } },
      { who: 'grid', act: { action: 'close_without_visit', reason: '来访人未留联系方式，无法回访' } },
    ],
  },
  {
    intake: {
      categoryId: 'safety',
      description: '老旧小区电动车楼道充电，存在火灾隐患',
      reporter: reporter('楼栋长刘某'),
      urgency: 'urgent',
      channel: 'coordinator',
    },
    steps: [],
    hoursAgo: 10 * 24,
  },
  {
    intake: {
      categoryId: 'safety',
      description: '施工工地围挡倾斜，临近人行道',
      reporter: reporter('过路群众'),
      urgency: 'critical',
      channel: 'phone',
    },
    steps: [{ who: 'grid', act: { action: 'accept' } }],
    hoursAgo: 12 * 24,
  },
];

/**
 * `hours` hours before `now`. Ten and twelve days back are past any SLA of their categories whatever the
 * weekday or holiday of the seed, so the board always has red matters; when that falls in the previous
 * month, so do those matters' flows, as they would in a real town.
 */
const earlier = (now: string, hours: number): string => new Date(Date.parse(now) - hours * 3_600_000).toISOString();

export async function seedDemoMatters(townId: string, adminUsername: string, place: MatterSeedPlace, now: string): Promise<void> {
  const who = demoActors(townId, adminUsername, place);
  const inFiveDays = new Date(Date.parse(now) + 5 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const made: MatterDetail[] = [];
  for (const m of MATTERS) {
    const at = m.hoursAgo ? earlier(now, m.hoursAgo) : now;
    let d = await mattersOf(who.grid).raise({ ...m.intake, gridId: place.gridId }, at);
    for (const s of m.steps) {
      const act = { ...s.act, version: d.matter.version } as MatterActionInput;
      if (act.action === 'request_extension') act.until = inFiveDays;
      d = await mattersOf(who[s.who]).act(d.matter.matterId, act, at);
    }
    made.push(d);
  }
  // A duplicate of the first, reported again by a neighbour, merged into it by the coordinator.
  const first = made[0] as MatterDetail;
  const dup = await mattersOf(who.grid).raise(
    {
      categoryId: 'sanitation',
      gridId: place.gridId,
      description: '楼道杂物问题（重复反映）',
      reporter: reporter('邻居钱先生'),
      urgency: 'normal',
      channel: 'phone',
    },
    now,
  );
  await mattersOf(who.grid).act(
    dup.matter.matterId,
    { action: 'merge', targetId: first.matter.matterId, reason: '与已登记事项为同一问题', version: 1 },
    now,
  );
  // The scheduler's supervision run, as it would come at the next quarter hour.
  await superviseTown(townId, now);
}
