import { gridsInScope, type TownContext } from '../book/context';
import type { Label } from '@gridline/domain';

/*
 * The places a due list can be asked for, as the pickers show them. Online they come from the town's
 * context; a coordinator's device keeps its own grids' (ids and names, no one's data) for offline use,
 * with the town's tag labels the rows show.
 */

export type GridOption = { gridId: string; name: string; communityId: string; communityName: string };
export type CommunityOption = { communityId: string; name: string };
export type TagLabel = { id: string; label: Label };

export type VisitPlaces = { grids: GridOption[]; communities: CommunityOption[]; special: TagLabel[]; key: TagLabel[] };

/** The label of a household's cycle driver: a special group's or key group's name, or "key group" where the tag is withheld. */
export function driverLabel(places: VisitPlaces | null, id: string, pick: (l: Label) => string, keyGroup: string): string {
  if (id === 'key_group') return keyGroup;
  const def = places?.special.find((d) => d.id === id) ?? places?.key.find((d) => d.id === id);
  return def ? pick(def.label) : id;
}

/** The pickers' places from the town's context: the grids and communities in the user's scope, active ones only. */
export function placesOf(ctx: TownContext): VisitPlaces {
  const entries = gridsInScope(ctx).filter((e) => e.grid.status !== 'retired' && e.community.status !== 'retired');
  const communities = new Map<string, CommunityOption>();
  for (const e of entries) communities.set(e.community.communityId, { communityId: e.community.communityId, name: e.community.name });
  return {
    grids: entries.map((e) => ({
      gridId: e.grid.gridId,
      name: e.grid.name,
      communityId: e.community.communityId,
      communityName: e.community.name,
    })),
    communities: [...communities.values()],
    special: ctx.config.specialGroups ?? [],
    key: ctx.config.keyGroups ?? [],
  };
}
