import type middy from '@middy/core';
import { AppError } from '@gridline/domain';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from './log';
import { json } from './respond';

export type ErrorBody = { error: { code: string; message: string; field?: string; requestId: string } };

/** The stable error body: AppErrors as they are, anything else a 500 with the request id only. */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof AppError && error.expose) {
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), requestId },
    };
    return json(error.status, body);
  }
  logger.error('request failed', { error: error as Error });
  return json(500, { error: { code: 'internal', message: 'Something went wrong on our side.', requestId } });
}

/** Turns any error into the stable body; runs last, so it sees what every other middleware threw. */
export const httpErrors = <E extends Pick<APIGatewayProxyEventV2, 'requestContext'>>(): middy.MiddlewareObj<
  E,
  APIGatewayProxyStructuredResultV2
> => ({
  onError: (request) => {
    const requestId = request.event.requestContext?.requestId ?? 'unknown';
    request.response = errorResponse(request.error, requestId);
  },
});
