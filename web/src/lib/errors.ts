import { ApiError } from './api';
import { isMessageKey, type Translate } from './i18n';

/**
 * The text to show for a failure: the catalog's message for its code when there is one, else the
 * server's own message, else a generic one. Never a stack trace.
 */
export function errorText(e: unknown, t: Translate): string {
  if (e instanceof ApiError) {
    const key = `err.${e.code}`;
    if (isMessageKey(key)) return t(key);
    if (e.message && e.status > 0 && e.status < 500) return e.message;
    return t('err.unknown', { status: e.status });
  }
  return t('err.unknown', { status: 0 });
}

/** The request id of a failure, for support calls. */
export function errorRequestId(e: unknown): string | undefined {
  return e instanceof ApiError ? e.requestId : undefined;
}

/**
 * A server rejection that names a field, as the form field it concerns (`body.floating.arrivalDate`
 * becomes `floating.arrivalDate`) and the text to show beside it. A duplicate ID keeps the server's
 * pointer to the person already on record.
 */
export function fieldErrorOf(e: unknown, t: Translate): { field: string; text: string } | undefined {
  if (!(e instanceof ApiError) || !e.field) return undefined;
  const field = e.field.replace(/^body\./, '');
  const key = `err.${e.code}`;
  return { field, text: isMessageKey(key) ? t(key) : e.message };
}

/**
 * Where a duplicate ID number is already recorded, read from the server's message (“… grid G,
 * household H, person P.”), so the form can link to that household card.
 */
export function duplicateAt(e: unknown): { gridId: string; householdId: string } | undefined {
  if (!(e instanceof ApiError) || e.code !== 'person.duplicate_id') return undefined;
  const m = /grid ([\w-]+), household ([\w-]+)/.exec(e.message);
  return m?.[1] && m[2] ? { gridId: m[1], householdId: m[2] } : undefined;
}
