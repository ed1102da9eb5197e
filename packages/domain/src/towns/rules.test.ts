import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Town } from './api';
import { AppError } from '../errors';
import { checkTownFound, planProvision, planTownStatus, townCounts } from './rules';

const NOW = '2026-11-27T08:00:00.000Z';
const LATER = '2026-11-28T08:00:00.000Z';
const spec = { name: '青石镇', kind: 'town' as const, admin: { username: 'qingshi.admin', displayName: '李梅' } };
const provisioned = (): Town => {
  const plan = planProvision('qingshi', spec, undefined, NOW);
  if (plan.kind !== 'provision') throw new Error('expected a provision');
  return plan.town;
};

describe('town registry rules', () => {
  it('provisions an active town at version 1 with the default configuration and its admin', () => {
    const plan = planProvision('qingshi', { ...spec, nameEn: 'Qingshi' }, undefined, NOW);
    expect(plan).toMatchObject({
      kind: 'provision',
      town: { townId: 'qingshi', name: '青石镇', nameEn: 'Qingshi', status: 'active', version: 1, createdAt: NOW, updatedAt: NOW },
      meta: { townId: 'qingshi', status: 'active' },
      admin: { username: 'qingshi.admin', role: 'town_admin', status: 'active' },
      county: { towns: 1, townsActive: 1 },
    });
    if (plan.kind === 'provision')
      expect(Object.keys(plan.config).sort()).toEqual(['keyGroups', 'posts', 'sla', 'specialGroups', 'visitCycles']);
  });

  it('answers the same spec again with the existing town, and refuses a different one', () => {
    const town = provisioned();
    expect(planProvision('qingshi', spec, town, LATER)).toEqual({ kind: 'replay', town });
    try {
      planProvision('qingshi', { ...spec, name: '青石乡' }, town, LATER);
      throw new Error('expected a conflict');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'town.conflict', status: 409 });
    }
  });

  it('refuses a town the registry does not hold', () => {
    expect(() => checkTownFound(undefined)).toThrow(AppError);
  });

  it('suspends and resumes; the status a town already has changes nothing', () => {
    const town = provisioned();
    const suspended = planTownStatus(town, 'suspended', LATER);
    expect(suspended).toMatchObject({
      kind: 'status',
      action: 'town.suspend',
      activeDelta: -1,
      version: 1,
      town: { status: 'suspended', version: 2 },
    });
    expect(planTownStatus(town, 'active', LATER)).toEqual({ kind: 'none', town });
    if (suspended.kind === 'status')
      expect(planTownStatus(suspended.town, 'active', LATER)).toMatchObject({
        action: 'town.resume',
        activeDelta: 1,
        town: { version: 3 },
      });
  });

  it('any run of status changes keeps the active count equal to the towns that are active', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('active' as const, 'suspended' as const)), (steps) => {
        let town = provisioned();
        let active = 1;
        for (const s of steps) {
          const plan = planTownStatus(town, s, LATER);
          if (plan.kind === 'status') {
            active += plan.activeDelta;
            town = plan.town;
          }
        }
        expect(active).toBe(town.status === 'active' ? 1 : 0);
        expect(townCounts({ towns: 1, townsActive: active }).suspended).toBe(town.status === 'suspended' ? 1 : 0);
      }),
    );
  });
});
