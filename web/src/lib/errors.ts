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
