import type { VisitKind } from './types';

/**
 * What a visit of each kind looks for (the contract's `VISIT_CHECKS`). A tick is something found;
 * "nothing found" is no tick at all. The labels are in the catalog under `visits.check.<id>`.
 */
export const VISIT_CHECKS: Readonly<Record<VisitKind, readonly string[]>> = {
  routine: ['safety_hazard', 'needs_help', 'conflict', 'info_changed', 'absent'],
  follow_up: ['problem_persists', 'needs_help', 'info_changed', 'absent'],
  special_group: ['health_concern', 'living_difficulty', 'needs_help', 'safety_hazard', 'info_changed', 'absent'],
  key_group: ['abnormal_behaviour', 'not_at_home', 'needs_help', 'info_changed'],
};

/** Every check id of every kind, once each. */
export const ALL_CHECKS: readonly string[] = [...new Set(Object.values(VISIT_CHECKS).flat())];

/** The ticks that still belong to `kind` after the kind changes (a tick of another kind's list is dropped). */
export const checksFor = (kind: VisitKind, ticked: readonly string[]): string[] => ticked.filter((c) => VISIT_CHECKS[kind].includes(c));
