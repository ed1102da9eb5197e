import type { FieldMessage } from '../validate';
import { DISPUTE_TYPES, type DisputeType, type MediationSettings, type MediationSettingsBody } from './types';

/*
 * The town's mediation settings as a form: the follow-up days after signing (1–5 of them, each 1–3,650
 * days) and the dispute types in use (at least one of the eight).
 */

export const MAX_FOLLOW_UPS = 5;
export const MAX_DAYS = 3650;

export type SettingsForm = { days: string[]; types: DisputeType[] };
export type SettingsField = 'days' | 'types' | `day-${number}`;

/** The form as the settings stand (the defaults before the first save). */
export const settingsForm = (s: Pick<MediationSettings, 'followUpDays' | 'types'>): SettingsForm => ({
  days: s.followUpDays.map(String),
  types: DISPUTE_TYPES.filter((t) => s.types.includes(t)),
});

const WHOLE = /^\d{1,4}$/;

/** What is wrong with the form: each day that is not a whole number of 1–3,650, too few or many days, no type. */
export function settingsProblems(f: SettingsForm): Partial<Record<SettingsField, FieldMessage>> {
  const out: Partial<Record<SettingsField, FieldMessage>> = {};
  f.days.forEach((d, i) => {
    const v = d.trim();
    if (!WHOLE.test(v) || Number(v) < 1 || Number(v) > MAX_DAYS)
      out[`day-${i}`] = { key: 'med.settings.dayRange', params: { max: MAX_DAYS } };
  });
  if (f.days.length < 1 || f.days.length > MAX_FOLLOW_UPS) out.days = { key: 'med.settings.dayCount', params: { max: MAX_FOLLOW_UPS } };
  if (f.types.length === 0) out.types = { key: 'med.settings.typeRequired' };
  return out;
}

/** The body of a form without problems at the version read (none before the first save); the days in order, each once. */
export function settingsBody(f: SettingsForm, version: number | undefined): MediationSettingsBody {
  const days = [...new Set(f.days.map((d) => Number(d.trim())))].sort((a, b) => a - b);
  return {
    ...(version !== undefined && version > 0 ? { version } : {}),
    followUpDays: days,
    types: DISPUTE_TYPES.filter((t) => f.types.includes(t)),
  };
}
