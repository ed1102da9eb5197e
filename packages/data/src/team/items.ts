import { type CoordinatorView, type CoverageState, type SealedContacts, type TeamEventView, withoutSealed } from '@gridline/domain';
import { type Key, townKeys } from '../keys';
import { type Item, publicFields } from '../ops';

/**
 * What the store keeps of a coordinator: the record as the API shows it (with its version) and the
 * ID number and phone sealed with the town's vault (decision 74), never answered.
 */
export type StoredMember = CoordinatorView & SealedContacts;
/** What the store keeps of a community's coverage: the state the rules work on, and its version. */
export type StoredCoverage = CoverageState & { version: number; updatedAt: string };

/**
 * The items of one town's team: the coordinator record, one history entry, one community's coverage
 * (keys from `keys.ts`, the block marked "Team").
 */
export function teamItems(townId: string) {
  const k = townKeys(townId);
  return {
    keys: k,
    member: (m: StoredMember): Item & Key => ({ ...k.teamMember(m.coordinatorId), type: 'TeamMember', ...m }),
    event: (coordinatorId: string, at: string, eventId: string, actor: string, kind: string, details: Item): Item & Key => ({
      ...k.teamEvent(coordinatorId, at, eventId),
      type: 'TeamEvent',
      eventId,
      at,
      actor,
      kind,
      details,
    }),
    coverage: (c: StoredCoverage): Item & Key => ({ ...k.teamCoverage(c.communityId), type: 'TeamCoverage', ...c }),
  };
}
export type TeamItems = ReturnType<typeof teamItems>;

/** A stored record as the rules see it: the sealed values included. */
export const storedMember = (item: Item): StoredMember => publicFields<StoredMember>(item);
/** A stored record as the API answers it: the sealed values removed. */
export const memberView = (item: Item): CoordinatorView => withoutSealed(storedMember(item));
export const eventView = (item: Item): TeamEventView => {
  const { eventId, at, actor, kind, details } = publicFields<TeamEventView>(item);
  return { eventId, at, actor, kind, details };
};
export const coverageState = (item: Item): StoredCoverage => publicFields<StoredCoverage>(item);
