import { DEFAULT_KEY_GROUPS, DEFAULT_SPECIAL_GROUPS } from '@gridline/domain';

/** A tag a town offers: its id, its label, and other names towns write for it. */
export type TagDefinition = { id: string; label: { zh: string; en?: string }; aliases?: readonly string[] };

/** Names towns' books use for the default tags, besides the labels in the domain defaults. */
export const DEFAULT_TAG_ALIASES: Readonly<Record<string, readonly string[]>> = {
  // Each alias names one group only, so no alias folds two registers into one; a cell such as
  // 独居/空巢老人 splits at the slash into both groups, and a name read through an alias is reported.
  elderly_alone: ['独居', '孤寡老人', '独居老年人'],
  empty_nest: ['空巢', '空巢老年人'],
  disabled: ['残疾', '残疾人员', '残障人士'],
  low_income: ['低保', '低保对象', '低保人员', '最低生活保障'],
  extreme_poverty: ['特困', '特困供养人员', '特困供养', '五保户'],
  left_behind_child: ['留守儿童'],
  veteran: ['退役军人', '优抚对象', '退伍军人', '复员军人'],
  released_prisoner: ['刑满释放', '刑释人员', '刑满释放人员'],
  community_correction: ['社区矫正人员', '社区矫正对象'],
  drug_rehab: ['戒毒康复人员', '社区戒毒', '社区康复', '吸毒人员'],
  severe_mental: ['严重精神障碍', '精神障碍患者', '严重精神障碍患者'],
  key_petitioner: ['重点信访', '重点信访人'],
};

/** The tag lists a book is read against: special groups (特殊人群) and key groups (重点人群). */
export type TagLists = { specialGroups: readonly TagDefinition[]; keyGroups: readonly TagDefinition[] };

/** The domain's default lists with the aliases above. */
export function defaultTagLists(): TagLists {
  const withAliases = (list: ReadonlyArray<{ id: string; label: { zh: string; en: string } }>) =>
    list.map((t) => ({ ...t, aliases: DEFAULT_TAG_ALIASES[t.id] ?? [] }));
  return { specialGroups: withAliases(DEFAULT_SPECIAL_GROUPS), keyGroups: withAliases(DEFAULT_KEY_GROUPS) };
}

function tagKey(label: string): string {
  return label.normalize('NFKC').replace(/\s+/g, '');
}

export type TagIndex = {
  lookup: Map<string, { id: string; key: boolean; alias: boolean }>;
  labels: Map<string, string>;
};

/** Builds the label → tag look-up of a town's lists. */
export function indexTags(lists: TagLists): TagIndex {
  const lookup = new Map<string, { id: string; key: boolean; alias: boolean }>();
  const labels = new Map<string, string>();
  const add = (list: readonly TagDefinition[], key: boolean) => {
    for (const t of list) {
      labels.set(t.id, t.label.zh);
      for (const name of t.aliases ?? []) lookup.set(tagKey(name), { id: t.id, key, alias: true });
    }
    // Labels and ids last, so that a town's own wording always wins over an alias.
    for (const t of list) for (const name of [t.label.zh, t.id]) lookup.set(tagKey(name), { id: t.id, key, alias: false });
  };
  add(lists.specialGroups, false);
  add(lists.keyGroups, true);
  return { lookup, labels };
}

/** A tag written under another name than the town's label, as the preview reports it. */
export type AliasedTag = { written: string; id: string; label: string };

/**
 * Splits a tag cell (`独居老人、低保户`) into special-group (`tags`) and key-group (`keyTags`) ids. Separators: 、 , ， ; ；
 * | and whitespace; a slash separates too, unless the whole text around it is a label (`退役军人/优抚对象`).
 * `aliased` lists the names read through an alias rather than the town's own label.
 */
export function parseTags(cell: string, index: TagIndex): { tags: string[]; keyTags: string[]; unknown: string[]; aliased: AliasedTag[] } {
  const tags: string[] = [];
  const keyTags: string[] = [];
  const unknown: string[] = [];
  const aliased: AliasedTag[] = [];
  const take = (name: string): boolean => {
    const hit = index.lookup.get(tagKey(name));
    if (!hit) return false;
    const list = hit.key ? keyTags : tags;
    if (!list.includes(hit.id)) list.push(hit.id);
    if (hit.alias) aliased.push({ written: name, id: hit.id, label: index.labels.get(hit.id) ?? hit.id });
    return true;
  };
  for (const token of cell.normalize('NFKC').split(/[、,;|\s]+/)) {
    const t = token.trim();
    if (t === '' || take(t)) continue;
    for (const part of t.split(/[/／]+/)) {
      const p = part.trim();
      if (p !== '' && !take(p)) unknown.push(p);
    }
  }
  return { tags, keyTags, unknown, aliased };
}

/** The Chinese label a tag id is exported under. */
export function tagLabel(id: string, index: TagIndex): string {
  return index.labels.get(id) ?? id;
}
