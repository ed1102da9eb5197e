import type { Principal } from '../../principal';
import type { MediationIntake } from '../api';
import type { MediatorPost } from '../ladder';
import { type MediationCase, type MediationInvitation, planMediationIntake } from '../rules';
import { town } from '../../matters/testing/town';

/*
 * A small town for mediation's tests: grids g1 and g2 in community c1, g3 in c2; a mediation post at every
 * level for g1/c1 and the town; one account of each kind, and strangers. Not exported from the package root.
 */

export const TOWN = 'qingshi';
export const NOW = '2026-12-05T08:00:00.000Z';
export const COMMUNITY_OF: Record<string, string> = { g1: 'c1', g2: 'c1', g3: 'c2' };

export const P = {
  coordG1: town('coord1', 'grid_coordinator', [], ['g1']),
  coordG3: town('coord3', 'grid_coordinator', [], ['g3']),
  medG1: town('med1', 'mediator', [], ['g1']),
  medC1: town('medc1', 'mediator'),
  medTown: town('medtown', 'mediator'),
  staffC1: town('station1', 'community_staff', ['c1']),
  staffC2: town('station2', 'community_staff', ['c2']),
  admin: town('admin', 'town_admin'),
  auditor: town('audit', 'auditor'),
  auditorC2: town('audit2', 'auditor', ['c2']),
  judge: town('judge', 'mediator'),
  otherAdmin: town('admin', 'town_admin', [], [], 'yuxi'),
  county: { kind: 'county', userId: 'county', username: 'county.it', role: 'county_admin' } as Principal,
} satisfies Record<string, Principal>;

export const POSTS: MediatorPost[] = [
  { level: 'courtyard', place: 'g1', usernames: [P.medG1.username] },
  { level: 'community', place: 'c1', usernames: [P.medC1.username, P.staffC1.username] },
  { level: 'town', place: 'TOWN', usernames: [P.medTown.username] },
];

export const intake = (more: Partial<MediationIntake> = {}): MediationIntake => ({
  caseId: 'case-1',
  parties: [
    { gridId: 'g1', householdId: 'h1', personId: 'p1' },
    { name: '李四', idNumber: '110101199001011234' },
  ],
  type: 'neighbour',
  gridId: 'g1',
  summary: '楼上漏水，邻里争执',
  risk: { level: 'low' },
  foundBy: { how: 'visit', visitId: 'v1' },
  level: 'courtyard',
  ...more,
});

/** A case taken in by the town admin (courtyard of g1 unless said otherwise). */
export function taken(more: Partial<MediationIntake> = {}, partyKeys: (string | null)[] = ['k1', 'k2']): MediationCase {
  const input = intake(more);
  const d = planMediationIntake(input, P.admin, NOW, { communityId: COMMUNITY_OF[input.gridId], posts: POSTS, partyKeys });
  if (!d.ok) throw d.error;
  return d.after;
}

export const invitation = (more: Partial<MediationInvitation> = {}): MediationInvitation => ({
  caseId: 'case-1',
  role: 'judge',
  name: '王法官',
  until: '2026-12-10',
  username: P.judge.username,
  invitedBy: P.admin.username,
  invitedAt: NOW,
  ...more,
});

/** The instant `days` after NOW. */
export const later = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();
