import { DEFAULT_VISIT_CYCLES, type VisitCycles } from '@gridline/domain';
import { townKeys } from '../keys';
import { forget, remembered } from '../memo';
import { getItem } from '../ops';

/**
 * A town's visit cycles: its saved cycles item, else the cycles its configuration was provisioned with,
 * else the defaults. Read by every book change that moves a household's tags: remembered a minute in
 * this process like the calendar (decision 107); a save forgets it here at once.
 */
export function visitCyclesOf(townId: string, consistent = false): Promise<VisitCycles> {
  const read = async (): Promise<VisitCycles> => {
    const k = townKeys(townId);
    const saved = await getItem<VisitCycles>(k.visitCycles(), { consistent });
    if (saved) return { householdDays: saved.householdDays, byTag: saved.byTag };
    const config = await getItem<{ value?: VisitCycles }>(k.config('visitCycles'), { consistent });
    return config?.value ? { householdDays: config.value.householdDays, byTag: config.value.byTag } : DEFAULT_VISIT_CYCLES;
  };
  return consistent ? read() : remembered(`${townId}|visitCycles`, read);
}

/** Forgets a town's remembered cycles (after a save in this process). */
export const forgetVisitCycles = (townId: string): void => forget(`${townId}|visitCycles`);

/** The ids of a town's key-group tags (shown as `key_group` to those without the permission), remembered a minute. */
export function keyGroupIdsOf(townId: string): Promise<string[]> {
  return remembered(`${townId}|keyGroupIds`, async () => {
    const item = await getItem<{ value?: Array<{ id: string }> }>(townKeys(townId).config('keyGroups'));
    return (item?.value ?? []).map((t) => t.id);
  });
}
