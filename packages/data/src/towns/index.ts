// The county's towns: the registry (registry.ts: provision, suspend, resume, list) and one town's own
// status, configuration, chart and counters (`forTown`, town.ts). Rules: `@gridline/domain` towns/rules.
export { countTowns, findTown, getTown, listTowns, provisionTown, saveTenantSummary, setTownStatus } from './registry';
export { forTown, type TownCounters, type TownData, type TownMeta } from './town';
export { type TownChanges, townChanges } from './changes';
