import type { Middleware } from './state';

/**
 * Detailed tracing (Powertools Tracer and the X-Ray SDK, ~120 KB minified with its dependencies) is off
 * unless the function's environment says GRIDLINE_TRACE_DETAIL=1 (CDK context `gridline:traceDetail`).
 * Off, the tracer is never imported: a cold start does not load or evaluate it, and Lambda's own active
 * tracing still records each invocation. On, it is imported on the first request, from a chunk of its
 * own, and then captures the handler, the DynamoDB calls and the route and town annotations as before.
 */
export const traceDetail = () => process.env.GRIDLINE_TRACE_DETAIL === '1';

type Loaded = typeof import('./tracer');
let loading: Promise<Loaded> | undefined;
let loaded: Loaded | undefined;

/** Imports the tracer chunk once (concurrent first requests share the one import). */
export function loadTracer(): Promise<Loaded> {
  loading ??= import('./tracer').then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

/** Whether this process has imported the tracer (tests: off, it never is). */
export const tracerLoaded = () => loaded !== undefined;

/** Annotates the current trace, when detailed tracing is on and loaded; otherwise nothing. */
export function annotate(key: string, value: string) {
  const tracer = loaded?.tracer;
  if (tracer?.isTracingEnabled()) tracer.putAnnotation(key, value);
}

/**
 * Powertools' handler capture, loaded on the first request: it opens the handler's subsegment before
 * the later middlewares annotate it, and closes it after the response or the error.
 */
export const traceMiddleware = (): Middleware => ({
  before: async (request) => {
    const { capture } = await loadTracer();
    await capture.before?.(request);
  },
  after: async (request) => {
    await loaded?.capture.after?.(request);
  },
  onError: async (request) => {
    await loaded?.capture.onError?.(request);
  },
});
