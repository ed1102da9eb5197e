import type { TownPrincipal, Principal } from '../../principal';
import type { TownRole } from '../../rules';
import type { MatterActionInput, MatterIntake } from '../api';
import { type IntakeContext, type Matter, type MatterDecision, type MatterPlan, planIntake } from '../rules';

/*
 * A small town for the ladder's tests: grids g1 and g2 in community c1, g3 in c2; one account of each
 * kind, and strangers. Not exported from the package root.
 */

export const TOWN = 'qingshi';
export const NOW = '2026-12-05T08:00:00.000Z';
export const COMMUNITY_OF: Record<string, string> = { g1: 'c1', g2: 'c1', g3: 'c2' };
export const CATEGORIES = ['sanitation', 'safety', 'dispute'];

/** A town principal for rule tests (shared by the matters' and the mediation's test towns). */
export const town = (username: string, role: TownRole, communities: string[] = [], grids: string[] = [], townId = TOWN): TownPrincipal => ({
  kind: 'town',
  userId: username,
  username: `${townId}.${username}`,
  role,
  townId,
  scope: { communities, grids },
});

export const P = {
  coordG1: town('coord1', 'grid_coordinator', [], ['g1']),
  coordG1b: town('coord1b', 'grid_coordinator', [], ['g1', 'g2']),
  coordG3: town('coord3', 'grid_coordinator', [], ['g3']),
  coordNoScope: town('coord0', 'grid_coordinator'),
  staffC1: town('station1', 'community_staff', ['c1']),
  staffC1b: town('station1b', 'community_staff', ['c1']),
  staffC2: town('station2', 'community_staff', ['c2']),
  admin: town('admin', 'town_admin'),
  admin2: town('admin2', 'town_admin'),
  auditor: town('audit', 'auditor'),
  mediator: town('mediator', 'mediator'),
  otherAdmin: town('admin', 'town_admin', [], [], 'yuxi'),
  otherCoord: town('coord1', 'grid_coordinator', [], ['g1'], 'yuxi'),
  county: { kind: 'county', userId: 'county', username: 'county.it', role: 'county_admin' } as Principal,
} satisfies Record<string, Principal>;

export const intake = (more: Partial<MatterIntake> = {}): MatterIntake => ({
  categoryId: 'sanitation',
  gridId: 'g1',
  description: '3号楼下垃圾堆放三天无人清运',
  reporter: { name: '张大爷', phone: '13800138000' },
  urgency: 'normal',
  channel: 'visit',
  ...more,
});

export const intakeCtx = (gridId: string, matterId = 'm1', more: Partial<IntakeContext> = {}): IntakeContext => ({
  matterId,
  communityId: COMMUNITY_OF[gridId],
  categories: CATEGORIES,
  reporterPhone: { sealed: 'vault:k1:Zm9vYmFy', masked: '138****8000' },
  ...more,
});

/** A matter raised by the town admin at a grid, as intake leaves it. */
export function raised(gridId = 'g1', matterId = 'm1', categoryId = 'sanitation'): Matter {
  const d = planIntake(intake({ gridId, categoryId }), P.admin, NOW, intakeCtx(gridId, matterId));
  if (!d.ok) throw new Error(`intake refused: ${d.refusal.code}`);
  return d.after;
}

/** The plan of an accepted decision, or a failure naming the refusal. */
export function accepted(d: MatterDecision): MatterPlan {
  if (!d.ok) throw new Error(`refused: ${d.refusal.status} ${d.refusal.code}`);
  return d;
}

/** "status code" of a decision, for short assertions. */
export const outcome = (d: MatterDecision) => (d.ok ? 'ok' : `${d.refusal.status} ${d.refusal.code}`);

/** Inputs with the reasons they need, at the matter's version. */
export const at = (m: Pick<Matter, 'version'>) => ({
  accept: (): MatterActionInput => ({ action: 'accept', version: m.version }),
  resolve: (resolution = '已协调环卫清运完毕'): MatterActionInput => ({ action: 'resolve', version: m.version, resolution }),
  escalate: (reason = '超出网格处置能力'): MatterActionInput => ({ action: 'escalate', version: m.version, reason }),
  skip: (to: 'grid' | 'community' | 'town' = 'town', reason = '涉及多个社区，需镇中心统筹'): MatterActionInput => ({
    action: 'skip',
    version: m.version,
    to,
    reason,
  }),
  sendBack: (to?: 'grid' | 'community' | 'town', reason = '属网格可处置事项'): MatterActionInput => ({
    action: 'send_back',
    version: m.version,
    reason,
    ...(to ? { to } : {}),
  }),
  reassign: (assignee: string): MatterActionInput => ({ action: 'reassign', version: m.version, assignee }),
  merge: (targetId: string, reason = '同一事项重复登记'): MatterActionInput => ({ action: 'merge', version: m.version, targetId, reason }),
  transfer: (department = '县住建局', reason = '属县级部门职责'): MatterActionInput => ({
    action: 'transfer',
    version: m.version,
    department,
    reason,
  }),
  requestExtension: (until = '2026-12-20', reason = '需等待施工队'): MatterActionInput => ({
    action: 'request_extension',
    version: m.version,
    until,
    reason,
  }),
  approveExtension: (): MatterActionInput => ({ action: 'approve_extension', version: m.version }),
  rejectExtension: (reason = '理由不充分'): MatterActionInput => ({ action: 'reject_extension', version: m.version, reason }),
  visit: (satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied', reason?: string): MatterActionInput => ({
    action: 'return_visit',
    version: m.version,
    reachedBy: 'phone',
    satisfaction,
    ...(reason ? { reason } : {}),
  }),
  closeWithoutVisit: (reason = '匿名反映，无法回访'): MatterActionInput => ({ action: 'close_without_visit', version: m.version, reason }),
});
