import { readFileSync } from 'node:fs';
import {
  DISPUTE_TYPES as DOMAIN_TYPES,
  FOUND_BY as DOMAIN_FOUND_BY,
  MEDIATION_ACTIONS,
  MEDIATION_CASE_READ as DOMAIN_CASE_READ,
  MEDIATION_LEVELS,
  MEDIATION_READ as DOMAIN_READ,
  MEDIATION_STATUSES,
  MEDIATION_VIEWS,
  MEDIATION_WRITE as DOMAIN_WRITE,
  PARTICIPANT_ROLES as DOMAIN_PARTICIPANT_ROLES,
  REFERRALS as DOMAIN_REFERRALS,
  RISK_LEVELS as DOMAIN_RISK_LEVELS,
} from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  canOpenMediation,
  canReadMediationFigures,
  canSetUpMediation,
  canTakeInDisputes,
  DISPUTE_TYPES,
  FOUND_BY,
  LEVELS,
  MEDIATION_CASE_READ,
  MEDIATION_READ,
  MEDIATION_WRITE,
  PARTICIPANT_ROLES,
  REFERRALS,
  RISK_LEVELS,
  STATUSES,
  VIEWS,
} from './types';

describe("the web's copies of mediation's vocabularies and role lists", () => {
  it('are the domain’s, in the same order', () => {
    expect(LEVELS).toEqual(MEDIATION_LEVELS);
    expect(STATUSES).toEqual(MEDIATION_STATUSES);
    expect(DISPUTE_TYPES).toEqual(DOMAIN_TYPES);
    expect(RISK_LEVELS).toEqual(DOMAIN_RISK_LEVELS);
    expect(FOUND_BY).toEqual(DOMAIN_FOUND_BY);
    expect(REFERRALS).toEqual(DOMAIN_REFERRALS);
    expect(PARTICIPANT_ROLES).toEqual(DOMAIN_PARTICIPANT_ROLES);
    expect(ACTIONS).toEqual(MEDIATION_ACTIONS);
    expect(VIEWS).toEqual(MEDIATION_VIEWS);
    expect(MEDIATION_READ).toEqual(DOMAIN_READ);
    expect(MEDIATION_WRITE).toEqual(DOMAIN_WRITE);
    expect(MEDIATION_CASE_READ).toEqual(DOMAIN_CASE_READ);
  });

  it('the header’s own copy of who reaches the mediation pages is the domain’s too', () => {
    // The header is shared plumbing (it may import no capability), so it keeps its own line of roles.
    const header = readFileSync(new URL('../components/Header.svelte', import.meta.url), 'utf8');
    const line = /const MEDIATION_CASE_READ: readonly TownRole\[\] = \[([^\]]*)\]/.exec(header)?.[1] ?? '';
    const roles = line
      .split(',')
      .map((s) => s.trim().replace(/'/g, ''))
      .filter(Boolean);
    expect(roles).toEqual([...DOMAIN_CASE_READ]);
  });

  it('let staff read, the mediating roles take cases in, town admins set up, participants only open their cases', () => {
    expect(['town_admin', 'auditor', 'mediator', 'participant', 'county_admin'].map((r) => canOpenMediation(r as never))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(canReadMediationFigures('participant')).toBe(false);
    expect(canReadMediationFigures('auditor')).toBe(true);
    expect(canTakeInDisputes('auditor')).toBe(false);
    expect(canTakeInDisputes('participant')).toBe(false);
    expect(canTakeInDisputes('grid_coordinator')).toBe(true);
    expect(canSetUpMediation('town_admin')).toBe(true);
    expect(canSetUpMediation('community_staff')).toBe(false);
  });
});
