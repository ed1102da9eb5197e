/** A label in both UI languages; configuration carries its own labels so towns can rename things. */
export type Label = { zh: string; en: string };

/** The seven fixed posts (定岗) a coordinator may hold; per-town configuration starts from these. */
export const DEFAULT_POSTS: ReadonlyArray<{ id: string; label: Label }> = [
  { id: 'mediator', label: { zh: '人民调解员', en: "People's mediator" } },
  { id: 'legal_publicity', label: { zh: '法制宣传员', en: 'Legal publicity officer' } },
  { id: 'petition_agent', label: { zh: '信访代理员', en: 'Petition agent' } },
  { id: 'security_info', label: { zh: '治安信息员', en: 'Public-security information officer' } },
  { id: 'work_safety', label: { zh: '安全生产监督员', en: 'Work-safety supervisor' } },
  { id: 'social_security', label: { zh: '社会保障协理员', en: 'Social-security assistant' } },
  { id: 'sanitation', label: { zh: '环境卫生监督员', en: 'Environment & sanitation supervisor' } },
];

export const MATTER_LEVELS = ['grid', 'community', 'town'] as const;
export type MatterLevel = (typeof MATTER_LEVELS)[number];

/** SLA per level, in working days: accept within 1, resolve within 5 (domain.md). */
export const DEFAULT_SLA: Record<MatterLevel, { acceptWorkingDays: number; resolveWorkingDays: number }> = {
  grid: { acceptWorkingDays: 1, resolveWorkingDays: 5 },
  community: { acceptWorkingDays: 1, resolveWorkingDays: 5 },
  town: { acceptWorkingDays: 1, resolveWorkingDays: 5 },
};

/** Special-group tags (特殊人群) every town starts with. */
export const DEFAULT_SPECIAL_GROUPS: ReadonlyArray<{ id: string; label: Label }> = [
  { id: 'elderly_alone', label: { zh: '独居老人', en: 'Elderly living alone' } },
  // Empty-nest elders live with a spouse, not alone: towns count and visit the two groups apart.
  { id: 'empty_nest', label: { zh: '空巢老人', en: 'Empty-nest elderly' } },
  { id: 'disabled', label: { zh: '残疾人', en: 'Disabled' } },
  { id: 'low_income', label: { zh: '低保户', en: 'Minimum-allowance household' } },
  // 特困 (extreme-poverty support) is a separate programme from 低保, with its own register.
  { id: 'extreme_poverty', label: { zh: '特困人员', en: 'Extreme-poverty support' } },
  { id: 'left_behind_child', label: { zh: '留守儿童', en: 'Left-behind child' } },
  { id: 'veteran', label: { zh: '退役军人/优抚对象', en: 'Veteran / entitled group' } },
];

/** Key-group tags (重点人群): visible only with an explicit permission. */
export const DEFAULT_KEY_GROUPS: ReadonlyArray<{ id: string; label: Label }> = [
  { id: 'released_prisoner', label: { zh: '刑满释放人员', en: 'Released prisoner' } },
  { id: 'community_correction', label: { zh: '社区矫正', en: 'Community correction' } },
  { id: 'drug_rehab', label: { zh: '戒毒康复', en: 'Drug rehabilitation' } },
  { id: 'severe_mental', label: { zh: '严重精神障碍患者', en: 'Severe mental disorder' } },
  { id: 'key_petitioner', label: { zh: '重点信访人员', en: 'Key petitioner' } },
];

/** Visit cycles in days: every household monthly, elderly living alone weekly, other special groups fortnightly. */
export const DEFAULT_VISIT_CYCLES = {
  householdDays: 30,
  byTag: {
    elderly_alone: 7,
    empty_nest: 14,
    disabled: 14,
    low_income: 14,
    extreme_poverty: 14,
    left_behind_child: 14,
    veteran: 30,
  } as Record<string, number>,
};

export type TownConfig = {
  posts: Array<{ id: string; label: Label }>;
  sla: typeof DEFAULT_SLA;
  visitCycles: typeof DEFAULT_VISIT_CYCLES;
  specialGroups: Array<{ id: string; label: Label }>;
  keyGroups: Array<{ id: string; label: Label }>;
};

/** The configuration a newly provisioned town starts with. */
export function defaultTownConfig(): TownConfig {
  return structuredClone({
    posts: [...DEFAULT_POSTS],
    sla: DEFAULT_SLA,
    visitCycles: DEFAULT_VISIT_CYCLES,
    specialGroups: [...DEFAULT_SPECIAL_GROUPS],
    keyGroups: [...DEFAULT_KEY_GROUPS],
  });
}
