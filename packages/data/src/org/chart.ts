import {
  type Boundary,
  type Community,
  type Courtyard,
  type Grid,
  newId,
  type OrgChangePlan,
  type OrgKind,
  type OrgRecord,
  orgRecordId,
  planCoordinator,
  planCourtyardMove,
  planCreate,
  planGridChange,
  planGridMove,
  planRename,
  planRetire,
  refuseIfStaffed,
} from '@gridline/domain';
import { townKeys } from '../keys';
import { commitChange, getItem, type Item } from '../ops';
import { coverageState } from '../team/items';
import { orgChanges } from './changes';
import { orgItems } from './items';
import { orgReads } from './reads';

export type { OrgStatus } from '@gridline/domain';
export type { OrgEvent } from './items';

/**
 * Changes to one town's org chart (communities, grids, courtyards): read what the rule needs, let the
 * rule (`@gridline/domain`, org/rules) decide, commit its plan as one transaction (org/changes).
 */
export function orgOf(townId: string) {
  const reads = orgReads(orgItems(townId));

  async function commit<R>(plan: OrgChangePlan<R>, actor: string, now: string): Promise<R> {
    const change = orgChanges(townId, actor).change(plan, now);
    if (change) await commitChange(change);
    return plan.result;
  }

  /**
   * A grid retired or moved away, or a community retired, only while nobody of the team is appointed
   * there (`refuseIfStaffed`); the plan then also holds the coverage item at the version read.
   */
  async function unstaffed(plan: OrgChangePlan, kind: OrgKind, id: string, record: OrgRecord): Promise<OrgChangePlan> {
    if (plan.kind === 'none' || kind === 'courtyard') return plan;
    const communityId = kind === 'community' ? id : String(record.communityId);
    const item = await getItem<Item>(townKeys(townId).teamCoverage(communityId), { consistent: true });
    const coverage = item ? coverageState(item) : undefined;
    refuseIfStaffed(kind, id, coverage);
    return { ...plan, requires: [...plan.requires, { kind: 'coverage', communityId, version: coverage?.version }] };
  }

  async function create<K extends OrgKind>(kind: K, fields: Parameters<typeof planCreate<K>>[1], actor: string, now: string) {
    return commit(planCreate(kind, fields, orgRecordId(kind, newId(Date.parse(now))), now), actor, now);
  }

  return {
    createCommunity: (c: { name: string; kind: Community['kind'] }, actor: string, now: string) => create('community', c, actor, now),
    createGrid: (g: { communityId: string; name: string; code: string; boundary?: Boundary | undefined }, actor: string, now: string) =>
      create('grid', g, actor, now),
    createCourtyard: (y: { gridId: string; name: string }, actor: string, now: string) => create('courtyard', y, actor, now),

    renameCommunity: async (id: string, version: number, name: string, actor: string, now: string) =>
      commit(planRename('community', id, await reads.load('community', id), version, name, now), actor, now),
    changeGrid: async (
      id: string,
      version: number,
      set: { name?: string | undefined; code?: string | undefined; boundary?: Boundary | null | undefined },
      actor: string,
      now: string,
    ) => commit(planGridChange(id, await reads.load('grid', id), version, set, now), actor, now),
    renameCourtyard: async (id: string, version: number, name: string, actor: string, now: string) =>
      commit(planRename('courtyard', id, await reads.load('courtyard', id), version, name, now), actor, now),
    moveGrid: async (id: string, version: number, communityId: string, actor: string, now: string) => {
      const grid = await reads.load('grid', id);
      const plan = planGridMove(id, grid, version, communityId, now);
      return commit(grid.communityId === communityId ? plan : await unstaffed(plan, 'grid', id, grid), actor, now);
    },
    moveCourtyard: async (id: string, version: number, gridId: string, actor: string, now: string) =>
      commit(planCourtyardMove(id, await reads.load('courtyard', id), version, gridId, now), actor, now),

    /**
     * Names the grid's one responsible coordinator (see `planCoordinator`). Returns the grid, who must now
     * hold it in their scope claim, and who must not.
     */
    async assignCoordinator(gridId: string, version: number, username: string, actor: string, now: string) {
      const [grid, staff] = await Promise.all([reads.load<Grid>('grid', gridId), reads.staff(username)]);
      const { plan, holder, former } = planCoordinator(gridId, grid, staff, username, version, now);
      return { grid: (await commit(plan, actor, now)) as Grid & OrgRecord, holder, former };
    },

    /** Retires a record: it leaves the active chart and the counters, and keeps everything filed under it. */
    retire: async (kind: OrgKind, id: string, version: number, actor: string, now: string) => {
      const record = await reads.load(kind, id);
      return commit(await unstaffed(planRetire(kind, id, record, version, now), kind, id, record), actor, now);
    },

    /** The record's history, oldest first, a page at a time; 404 if the record is not this town's. */
    history: reads.history,
  };
}

export type { Community, Courtyard, Grid };
