/**
 * A request a page's `load` starts and does not await: the page reads it when it mounts and shows its
 * own notice (with a retry) if it fails. Marked handled here so the failure is not reported twice.
 */
export function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}
