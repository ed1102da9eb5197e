import { isIsoDay } from '@gridline/book/text';
import { TOWN_ID_PATTERN, USERNAME_PATTERN } from '@gridline/domain/rules';
import type { MessageKey, Params } from './i18n';
import type { TownSpec } from '@gridline/domain';
import type { TownKind } from '@gridline/domain/rules';

/** The provision form's fields, and which server `field` path each one answers for. */
export type ProvisionField = 'townId' | 'name' | 'nameEn' | 'kind' | 'adminUsername' | 'adminDisplayName';
export type ProvisionForm = Record<Exclude<ProvisionField, 'kind'>, string> & { kind: TownKind };
export type FieldMessage = { key: MessageKey; params?: Params };
export type FieldErrors = Partial<Record<ProvisionField, FieldMessage>>;

const SERVER_FIELDS: Record<string, ProvisionField> = {
  'params.townId': 'townId',
  'body.name': 'name',
  'body.nameEn': 'nameEn',
  'body.kind': 'kind',
  'body.admin.username': 'adminUsername',
  'body.admin.displayName': 'adminDisplayName',
};

/** The form field a server error's `field` points at, if any. */
export const formFieldOf = (serverField: string | undefined): ProvisionField | undefined =>
  serverField ? SERVER_FIELDS[serverField] : undefined;

/** Text within `max` characters after trimming; `required` refuses an empty one. */
export function textProblem(value: string, max: number, required: boolean): FieldMessage | undefined {
  const v = value.trim();
  if (!v) return required ? { key: 'validation.required' } : undefined;
  return v.length > max ? { key: 'validation.tooLong', params: { max } } : undefined;
}
const text = textProblem;

/** A YYYY-MM-DD that is a real day. */
export const isDay = isIsoDay;

export function validateField(field: ProvisionField, f: ProvisionForm): FieldMessage | undefined {
  switch (field) {
    case 'townId':
      if (!f.townId.trim()) return { key: 'validation.required' };
      return TOWN_ID_PATTERN.test(f.townId.trim()) ? undefined : { key: 'validation.townId' };
    case 'name':
      return text(f.name, 64, true);
    case 'nameEn':
      return text(f.nameEn, 96, false);
    case 'kind':
      return f.kind === 'town' || f.kind === 'subdistrict' ? undefined : { key: 'validation.kind' };
    case 'adminUsername':
      if (!f.adminUsername.trim()) return { key: 'validation.required' };
      return USERNAME_PATTERN.test(f.adminUsername.trim()) ? undefined : { key: 'validation.username' };
    case 'adminDisplayName':
      return text(f.adminDisplayName, 64, true);
  }
}

export const PROVISION_FIELDS: readonly ProvisionField[] = ['townId', 'name', 'nameEn', 'kind', 'adminUsername', 'adminDisplayName'];

export function validateProvision(f: ProvisionForm): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of PROVISION_FIELDS) {
    const m = validateField(field, f);
    if (m) errors[field] = m;
  }
  return errors;
}

/** The request body for a valid form: trimmed, the optional English name left out when empty. */
export function specOf(f: ProvisionForm): TownSpec {
  const nameEn = f.nameEn.trim();
  return {
    name: f.name.trim(),
    ...(nameEn ? { nameEn } : {}),
    kind: f.kind,
    admin: { username: f.adminUsername.trim(), displayName: f.adminDisplayName.trim() },
  };
}
