/** Status codes an AppError may carry; everything a user can cause is a 4xx. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** The one error type of Gridline: a dotted code, an HTTP status and a message safe to show. */
export class AppError extends Error {
  readonly code: string;
  readonly status: ErrorStatus;
  readonly field: string | undefined;
  /** Whether `message` may be shown to the caller; internal errors are never exposed. */
  readonly expose: boolean;
  /** On a conflict, the record as it stands now, so the caller need not read it again (e.g. a matter). */
  readonly current: unknown;

  /**
   * `expose` lets a 5xx carry its message and code to the caller, for a failure the caller can act on
   * (a change saved whose follow-up step must be repeated); by default only 4xx messages are shown.
   */
  constructor(
    code: string,
    status: ErrorStatus,
    message: string,
    options: { field?: string; cause?: unknown; expose?: boolean; current?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.field = options.field;
    this.expose = options.expose ?? status < 500;
    this.current = options.current;
  }
}

export const badRequest = (code: string, message: string, field?: string) =>
  new AppError(code, 400, message, field === undefined ? {} : { field });
export const notFound = (code: string, message: string) => new AppError(code, 404, message);
export const forbidden = (code: string, message: string) => new AppError(code, 403, message);
export const conflict = (code: string, message: string, field?: string) =>
  new AppError(code, 409, message, field === undefined ? {} : { field });

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
