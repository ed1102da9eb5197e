import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { instrumentClients } from '@gridline/data';
import type { Middleware } from './state';

/**
 * The detailed tracer (X-Ray), only ever imported through `loadTracer` in ./trace.ts, so that it stays
 * in a chunk of its own. Outside Lambda it is off by itself.
 */
export const tracer = new Tracer({ serviceName: 'gridline' });

// Every AWS client the data package builds from now on (DynamoDB, per town too) is traced, and any built before.
instrumentClients((c) => tracer.captureAWSv3Client(c));

/** One capture middleware per process: it keeps no per-request state outside the request. */
export const capture = captureLambdaHandler(tracer, { captureResponse: false }) as Middleware;
