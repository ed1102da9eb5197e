import type { Context } from 'aws-lambda';
import type { Middleware } from './state';

/**
 * One logger per process: JSON lines on stdout, the shape Powertools Logger wrote (`level`, `message`,
 * `timestamp`, `service`, the Lambda context keys, then the appended keys and the line's own fields),
 * so log queries keep working. Written here rather than with Powertools (about 25 KB minified with its
 * shared code, at every cold start) because the functions use only this much of it. The level comes
 * from POWERTOOLS_LOG_LEVEL (then AWS_LAMBDA_LOG_LEVEL), read when the process starts; SILENT writes nothing.
 */
const RANK: Record<string, number> = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 };
type Fields = Record<string, unknown>;

/** An error as a log field: what it is and where, never more than its own message (and its cause's). */
function errorField(e: unknown, depth = 0): unknown {
  if (!(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    message: e.message,
    ...(code !== undefined ? { code } : {}),
    stack: e.stack,
    ...(e.cause !== undefined && depth < 3 ? { cause: errorField(e.cause, depth + 1) } : {}),
  };
}

export class JsonLogger {
  private readonly threshold: number;
  private keys: Fields = {};
  private context: Fields = {};
  private coldStart = true;

  constructor(private readonly service: string) {
    const level = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase();
    this.threshold = RANK[level] ?? RANK.INFO ?? 12;
  }

  /** Keys every later line carries, until the end of the request (resetKeys). */
  appendKeys(keys: Fields) {
    Object.assign(this.keys, keys);
  }

  resetKeys() {
    this.keys = {};
  }

  /** The invocation's Lambda context keys, as Powertools' injectLambdaContext added them. */
  addContext(context: Context) {
    this.context = {
      cold_start: this.coldStart,
      function_name: context.functionName,
      function_memory_size: context.memoryLimitInMB,
      function_arn: context.invokedFunctionArn,
      function_request_id: context.awsRequestId,
      ...(process.env._X_AMZN_TRACE_ID ? { xray_trace_id: process.env._X_AMZN_TRACE_ID.split(';')[0]?.replace('Root=', '') } : {}),
    };
    this.coldStart = false;
  }

  info(message: string, fields?: Fields) {
    this.write('INFO', message, fields);
  }
  warn(message: string, fields?: Fields) {
    this.write('WARN', message, fields);
  }
  error(message: string, fields?: Fields) {
    this.write('ERROR', message, fields);
  }

  private write(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Fields) {
    if ((RANK[level] ?? 0) < this.threshold) return;
    const own: Fields = {};
    if (fields) for (const [k, v] of Object.entries(fields)) own[k] = v instanceof Error ? errorField(v) : v;
    const line = { level, message, timestamp: new Date().toISOString(), service: this.service, ...this.context, ...this.keys, ...own };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

export const logger = new JsonLogger('gridline');

/** The Lambda context on every line of the invocation, and no key left over after it, even when it throws. */
export const logContext = (log: JsonLogger): Middleware => {
  const reset = () => {
    log.resetKeys();
  };
  return {
    before: (request) => {
      log.resetKeys();
      log.addContext(request.context);
    },
    after: reset,
    onError: reset,
  };
};
