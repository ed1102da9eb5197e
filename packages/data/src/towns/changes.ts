import { DEFAULT_CATEGORIES, type TownProvisionPlan, type TownStatusPlan } from '@gridline/domain';
import { auditEntry } from '../audit';
import { type Key, platformKeys, townKeys } from '../keys';
import type { Change, Item, Write } from '../ops';
import { matterItems } from '../matters/items';
import { postItems } from '../posts/items';

/**
 * The transactions of the county's town registry: each turns a plan of the towns rules
 * (`@gridline/domain`, towns/rules) into ONE transaction over the registry entry (`P#`) and the town's
 * own items (`T#<town>#`), with an audit entry on each side and the counters it moves. Pure: nothing
 * here reads or writes, so every builder is tested without DynamoDB.
 */
export function townChanges(townId: string, actor: string) {
  const tk = townKeys(townId);
  const posts = postItems(townId);
  const matters = matterItems(townId);
  const audits = (action: string, at: string, details?: Record<string, unknown>) => [
    auditEntry(platformKeys.audit, { actor, action, target: townId, at, ...(details ? { details } : {}) }),
    auditEntry(tk.audit, { actor, action, target: townId, at }),
  ];

  return {
    /** The items of a new town: registry entry, status copy, configuration parts and first admin; undefined for a replay. */
    provision(plan: TownProvisionPlan, now: string, calendars: ReadonlyArray<Item & Key> = []): Change | undefined {
      if (plan.kind === 'replay') return undefined;
      const writes: Write[] = [
        { kind: 'create', item: { ...platformKeys.town(townId), type: 'Town', ...plan.town }, conflictCode: 'town.exists' },
        { kind: 'create', item: { ...tk.meta(), type: 'TownMeta', ...plan.meta } },
        ...Object.entries(plan.config).map(
          ([part, value]): Write => ({ kind: 'create', item: { ...tk.config(part), type: 'Config', part, value } }),
        ),
        { kind: 'create', item: { ...tk.staff(plan.admin.username), type: 'Staff', ...plan.admin } },
        // The county's entered calendar years, copied as a save copies them to every town.
        ...calendars.map((item): Write => ({ kind: 'put', item })),
        // The post catalogue (定岗) starts as the configuration's posts, each an item of its own (posts/).
        ...plan.config.posts.map(
          (p, i): Write => ({
            kind: 'create',
            item: posts.post({
              postId: p.id,
              label: { ...p.label },
              retired: false,
              version: 1,
              dutiesVersion: 0,
              rank: i + 1,
              createdAt: now,
              updatedAt: now,
            }),
          }),
        ),
        // The matter categories (事件分类) start as the defaults, each an item of its own (matters/).
        ...DEFAULT_CATEGORIES.map(
          (c): Write => ({
            kind: 'create',
            item: matters.category({ ...structuredClone(c), inUse: true, version: 1, updatedAt: now, updatedBy: actor }),
          }),
        ),
      ];
      const auditRows = audits(plan.audit.action, now, plan.audit.details);
      // Only the county's entry carries the spec; the town's own audit says what happened, not how it was asked.
      return {
        writes,
        audit: auditRows,
        counters: [
          { key: platformKeys.counters(), deltas: { ...plan.county } },
          { key: tk.counters('TOWN'), deltas: { ...plan.townCounts } },
        ],
      };
    },

    /** A suspension or resumption; undefined when the town already has that status. */
    status(plan: TownStatusPlan, now: string): Change | undefined {
      if (plan.kind === 'none') return undefined;
      return {
        writes: [
          { kind: 'update', key: platformKeys.town(townId), set: plan.set, version: plan.version },
          // The registry entry is the record of truth (checked at its version); the town's copy follows it.
          { kind: 'patch', key: tk.meta(), set: { status: plan.set.status } },
        ],
        audit: audits(plan.action, now),
        counters: [{ key: platformKeys.counters(), deltas: { townsActive: plan.activeDelta } }],
      };
    },
  };
}
export type TownChanges = ReturnType<typeof townChanges>;
