import { mediationSettingsBodySchema } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { settingsBody, settingsForm, settingsProblems } from './settings';

describe('the mediation settings form', () => {
  it('starts from the settings as they stand, types in the catalogue’s order', () => {
    expect(settingsForm({ followUpDays: [30, 90], types: ['debt', 'neighbour'] })).toEqual({
      days: ['30', '90'],
      types: ['neighbour', 'debt'],
    });
  });

  it('wants 1–5 days of 1–3,650 each and at least one type', () => {
    expect(settingsProblems({ days: ['30', '0', '3651', 'x', '1.5'], types: [] })).toEqual({
      'day-1': { key: 'med.settings.dayRange', params: { max: 3650 } },
      'day-2': { key: 'med.settings.dayRange', params: { max: 3650 } },
      'day-3': { key: 'med.settings.dayRange', params: { max: 3650 } },
      'day-4': { key: 'med.settings.dayRange', params: { max: 3650 } },
      types: { key: 'med.settings.typeRequired' },
    });
    expect(settingsProblems({ days: [], types: ['land'] })).toEqual({ days: { key: 'med.settings.dayCount', params: { max: 5 } } });
    expect(settingsProblems({ days: ['1', '2', '3', '4', '5', '6'], types: ['land'] }).days).toBeDefined();
    expect(settingsProblems({ days: [' 30 ', '3650'], types: ['land'] })).toEqual({});
  });

  it('sends the days in order and each once, at the version read, in the shape the route takes', () => {
    const body = settingsBody({ days: ['90', ' 30', '90'], types: ['other', 'family'] }, 4);
    expect(body).toEqual({ version: 4, followUpDays: [30, 90], types: ['family', 'other'] });
    expect(mediationSettingsBodySchema.safeParse(body).success).toBe(true);
    expect(settingsBody({ days: ['30'], types: ['land'] }, undefined)).toEqual({ followUpDays: [30], types: ['land'] });
    expect(settingsBody({ days: ['30'], types: ['land'] }, 0)).toEqual({ followUpDays: [30], types: ['land'] });
  });
});
