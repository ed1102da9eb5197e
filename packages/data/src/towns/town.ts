import {
  AppError,
  type Community,
  type Courtyard,
  type Grid,
  type Hierarchy,
  nestHierarchy,
  type Revocations,
  type Staff,
  type TownConfig,
  type TownStatus,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { townKeys } from '../keys';
import { commitChange, getItem, type Item, type Page, publicFields, queryAll, queryPage } from '../ops';
import { readCatalogue } from '../posts/catalogue';

export type TownMeta = { townId: string; name: string; kind: 'town' | 'subdistrict'; status: TownStatus };
export type TownCounters = Record<string, number>;

/**
 * Data access for one town, built from the caller's tenant context: every key it can form lies under
 * that town's prefix, so a handler holding it cannot name another town.
 */
export function forTown(townId: string) {
  const k = townKeys(townId);

  async function access(): Promise<{ meta: TownMeta; revoked: Revocations } | undefined> {
    const item = await getItem<Item>(k.meta());
    if (!item) return undefined;
    const { revoked, ...meta } = publicFields<TownMeta & { revoked?: Revocations }>(item);
    return { meta, revoked: revoked ?? {} };
  }

  async function meta(): Promise<TownMeta | undefined> {
    return (await access())?.meta;
  }

  /** The configuration, its `posts` the catalogue's posts in use (posts/), never the provisioning copy. */
  async function config(): Promise<TownConfig> {
    const [parts, posts] = await Promise.all([
      queryAll<{ type: string; part: keyof TownConfig; value: never }>(k.configPk),
      readCatalogue(townId).then((c) => c.posts),
    ]);
    // The CONFIG partition also holds the working-day calendar (copies of the county's years, closures).
    const settings = parts.filter((p) => p.type === 'Config');
    const out = Object.fromEntries(settings.map((p) => [p.part, p.value])) as unknown as TownConfig;
    return { ...out, posts: posts.filter((p) => !p.retired).map((p) => ({ id: p.postId, label: p.label })) };
  }

  async function hierarchy(): Promise<Hierarchy> {
    const items = await queryAll<Item>(k.orgPk);
    const pick = <T>(type: string) => items.filter((i) => i.type === type).map((i) => publicFields<T>(i));
    return nestHierarchy(pick<Community>('Community'), pick<Grid>('Grid'), pick<Courtyard>('Courtyard'));
  }

  async function staffPage(limit: number, cursor: string | undefined): Promise<Page<Staff>> {
    const page = await queryPage<Item>({ pk: k.staffPk, limit, cursor, listing: 'staff' });
    return { items: page.items.map((i) => publicFields<Staff>(i)), nextCursor: page.nextCursor };
  }

  /** Grids and courtyards with boundaries and maintained counts, for the population map (two queries, no people read). */
  async function populationMap() {
    const [org, counts] = await Promise.all([queryAll<Item>(k.orgPk), queryAll<Item>(k.countersPk)]);
    const countOf = (sk: string) => {
      const c = counts.find((x) => x.sk === sk) ?? {};
      const n = (f: string) => (typeof c[f] === 'number' ? (c[f] as number) : 0);
      return { households: n('households'), people: n('people'), floating: n('res_floating'), special: n('special') };
    };
    // Visit coverage is counted per grid only (the courtyards' blocks show their grid's share).
    const visitCountOf = (sk: string) => {
      const c = counts.find((x) => x.sk === sk) ?? {};
      const n = (f: string) => (typeof c[f] === 'number' ? Math.max(0, c[f] as number) : 0);
      return { visitHouseholds: n('visit_households'), visitOverdue: n('visit_overdue') };
    };
    const active = (i: Item) => i.status !== 'retired';
    const grids = org.filter((i) => i.type === 'Grid' && active(i));
    const yards = org.filter((i) => i.type === 'Courtyard' && active(i));
    return {
      grids: grids.map((g) => ({
        gridId: String(g.gridId),
        communityId: String(g.communityId),
        name: String(g.name),
        code: String(g.code ?? ''),
        ...(g.boundary ? { boundary: g.boundary } : {}),
        ...countOf(`GRID#${String(g.gridId)}`),
        ...visitCountOf(`GRID#${String(g.gridId)}`),
        courtyards: yards
          .filter((y) => y.gridId === g.gridId)
          .map((y) => ({ courtyardId: String(y.courtyardId), name: String(y.name), ...countOf(`YARD#${String(y.courtyardId)}`) })),
      })),
    };
  }

  async function counters(): Promise<TownCounters> {
    const item = await getItem<Item>(k.counters('TOWN'));
    const out: TownCounters = {};
    for (const [key, v] of Object.entries(item ? publicFields<Item>(item) : {})) if (typeof v === 'number') out[key] = v;
    return out;
  }

  /** Adds one record of the org chart with its audit entry and the town counter it moves. */
  async function addOrgRecord(
    type: 'Community' | 'Grid' | 'Courtyard',
    key: { pk: string; sk: string },
    record: Item,
    counter: string,
    actor: string,
    now: string,
  ) {
    await commitChange({
      writes: [{ kind: 'create', item: { ...key, type, ...record, createdAt: now }, conflictCode: `${type.toLowerCase()}.exists` }],
      audit: [auditEntry(k.audit, { actor, action: `${type.toLowerCase()}.create`, target: key.sk, at: now })],
      counters: [{ key: k.counters('TOWN'), deltas: { [counter]: 1 } }],
    });
  }

  return {
    townId,
    meta,
    /**
     * The town's status and its sign-in revocation list (decision 67), from the one read every town
     * request makes; the list is never part of `meta`, which the town's users are shown.
     */
    access,
    config,
    hierarchy,
    staffPage,
    counters,
    populationMap,
    /** The town's status as its own users see it; a town without one does not exist for them. */
    async status(): Promise<TownStatus> {
      const m = await meta();
      if (!m) throw new AppError('town.not_found', 404, 'This town is not provisioned.');
      return m.status;
    },
    addCommunity: (c: Community, actor: string, now: string) =>
      addOrgRecord('Community', k.community(c.communityId), c, 'communities', actor, now),
    addGrid: (g: Grid, actor: string, now: string) => addOrgRecord('Grid', k.grid(g.gridId), g, 'grids', actor, now),
    addCourtyard: (y: Courtyard, actor: string, now: string) =>
      addOrgRecord('Courtyard', k.courtyard(y.courtyardId), y, 'courtyards', actor, now),
    async addStaff(s: Staff, actor: string, now: string) {
      await commitChange({
        writes: [
          {
            kind: 'create',
            item: { ...k.staff(s.username), type: 'Staff', ...s, status: 'active', createdAt: now },
            conflictCode: 'staff.exists',
          },
        ],
        audit: [auditEntry(k.audit, { actor, action: 'staff.create', target: s.username, at: now })],
        counters: [{ key: k.counters('TOWN'), deltas: { staff: 1 } }],
      });
    },
  };
}
export type TownData = ReturnType<typeof forTown>;
