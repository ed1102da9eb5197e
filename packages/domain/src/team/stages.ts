/*
 * The team's stages and steps and the coverage's shape: what the API's schemas and the contacts need, apart
 * from the rules, so a cold start that validates a team request does not load the rules themselves.
 */

/**
 * Where a person stands: recommended → inspected (or rejected) → trained → appointed → left or
 * dismissed. A failed exam leaves the person `inspected` (they may train again).
 */
export const TEAM_STAGES = ['candidate', 'rejected', 'inspected', 'trained', 'appointed', 'left', 'dismissed'] as const;
export type TeamStage = (typeof TEAM_STAGES)[number];
/** The steps a town admin records. */
export const TEAM_STEPS = ['recommend', 'inspect', 'train', 'appoint', 'transfer', 'leave', 'dismiss', 'override'] as const;
export type TeamStep = (typeof TEAM_STEPS)[number];
/** The steps an override may waive; recommendation and appointment are never waived. */
export const OVERRIDABLE_STEPS = ['inspect', 'train'] as const;
export type OverridableStep = (typeof OVERRIDABLE_STEPS)[number];
/** Stages that end the record: no step follows them. */
export const FINAL_STAGES: readonly TeamStage[] = ['left', 'dismissed'];

/** One appointed coordinator in a community's coverage; the phone sealed is a copy of the record's (decision 75). */
export type CoverageHolder = { name: string; gridIds: string[]; postIds: string[]; phoneSealed?: string };

/**
 * What the store keeps per community so the coverage matrix is one read: the appointed coordinators
 * of the community with their grids and posts, and the responsible coordinator of each grid.
 */
export type CoverageState = {
  communityId: string;
  holders: Record<string, CoverageHolder>;
  responsible: Record<string, { coordinatorId: string; name: string; since: string }>;
};
export const emptyCoverage = (communityId: string): CoverageState => ({ communityId, holders: {}, responsible: {} });
