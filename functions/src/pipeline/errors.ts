import { isUnavailable, unavailableError } from '@gridline/data';
import { AppError } from '@gridline/domain';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type middy from '@middy/core';
import { logger } from './log';
import { json } from './respond';

export type ErrorBody = { error: { code: string; message: string; field?: string; requestId: string }; current?: unknown };

/** Seconds a client is asked to wait before retrying a 503: about one failure budget of the database. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The stable error body: AppErrors as they are; a database that is away (whatever reached here
 * without the data package's translation) a 503 with `Retry-After`; anything else a 500 with the
 * request id only.
 */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  const known = error instanceof AppError ? error : isUnavailable(error) ? unavailableError(error) : undefined;
  if (known?.expose) {
    const body: ErrorBody = {
      error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}), requestId },
      ...(known.current === undefined ? {} : { current: known.current }),
    };
    if (known.status === 503) logger.warn('dependency unavailable', { code: known.code, error: known.cause as Error });
    return json(known.status, body, known.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {});
  }
  logger.error('request failed', { error: error as Error });
  return json(500, { error: { code: 'internal', message: 'Something went wrong on our side.', requestId } });
}

/** Turns any error into the stable body; its onError runs after those of the middlewares used after it. */
export const httpErrors = <E extends Pick<APIGatewayProxyEventV2, 'requestContext'>>(): middy.MiddlewareObj<
  E,
  APIGatewayProxyStructuredResultV2
> => ({
  onError: (request) => {
    const requestId = request.event.requestContext?.requestId ?? 'unknown';
    request.response = errorResponse(request.error, requestId);
  },
});
