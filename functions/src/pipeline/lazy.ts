/**
 * A module imported on its first use and then kept: the promise is made once. A bare `() => import(…)`
 * asks the module loader to resolve the specifier again on every call, which costs a measurable share
 * of a short request (through a loader hook, as under tsx locally, a round trip to the loader's thread).
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((e: unknown) => {
      // A failed import is tried again on the next call rather than failing every later request.
      loading = undefined;
      throw e;
    });
    return loading;
  };
}
