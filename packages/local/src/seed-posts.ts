import { postsOf } from '@gridline/data/posts';
import type { TownPrincipal } from '@gridline/domain';

/**
 * The written duties (定责) of the seven default posts, one paragraph each, as a town would adopt them:
 * seeded through the same data function the API's handler calls (`postsOf(principal).writeDuties`), as
 * the town admin, so each demo post has duties version 1 in its history.
 */
export const DEMO_DUTIES: Record<string, string> = {
  mediator: '排查网格内邻里、婚姻家庭、物业等矛盾纠纷，能调则调，当日登记；调解不成的，三日内上报社区调委会，并跟踪回访。',
  legal_publicity: '每季度在网格内开展一次法治宣传，入户发放普法资料；重点向青少年、老年人宣讲防诈骗、婚姻家庭和劳动权益知识。',
  petition_agent: '代群众反映诉求、代办信访事项，按时限跟踪办理进度并向群众反馈；发现群体性苗头当日报告社区。',
  security_info: '收集网格内治安信息，发现可疑人员、安全隐患和重点人员动态及时上报派出所和综治中心，协助开展群防群治。',
  work_safety: '每月巡查网格内小作坊、门店和出租房的消防与用电安全，督促整改隐患，建立台账；重大隐患立即上报镇安监站。',
  social_security: '协助办理养老、医疗保险参保登记和低保、特困救助申请，入户核实困难群众情况，按月更新台账。',
  sanitation: '督促网格内门前三包和垃圾分类，每周巡查一次公共区域环境卫生，发现乱堆乱放、污水外溢等问题及时处置或上报。',
};

export async function seedDemoDuties(townId: string, adminUsername: string, effectiveFrom: string, now: string): Promise<void> {
  const principal: TownPrincipal = {
    kind: 'town',
    userId: adminUsername,
    username: adminUsername,
    role: 'town_admin',
    townId,
    scope: { communities: [], grids: [] },
  };
  const posts = postsOf(principal);
  const { posts: catalogue } = await posts.catalogue();
  for (const p of catalogue) {
    const text = DEMO_DUTIES[p.postId];
    if (text && !p.retired) await posts.writeDuties(p.postId, { version: p.dutiesVersion, text, effectiveFrom }, now);
  }
}
