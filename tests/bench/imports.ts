/** Driving population-book imports through the API, for the fixtures, the recipes and the throughput run. */
import type { ImportRecord } from '@gridline/data/imports';

type Call = (
  method: string,
  path: string,
  o?: { token?: string; body?: unknown; query?: Record<string, string> },
) => Promise<{ status: number; body: unknown; text?: string }>;

/** An import as the API answers it: the data package's own record type. */
export type ImportView = ImportRecord;

/** The preview route's body: the file inline, base64. */
export const uploadBody = (fileName: string, bytes: Uint8Array) => ({ fileName, contentBase64: Buffer.from(bytes).toString('base64') });

export function importView(body: unknown, what: string): ImportView {
  const v = body as Partial<ImportView> | null;
  if (!v || typeof v.importId !== 'string' || !v.stats) throw new Error(`${what}: not an import: ${JSON.stringify(body).slice(0, 300)}`);
  return v as ImportView;
}

/** Polls an import until its background run has finished; refuses one that failed or did not finish in time. */
export async function waitForImport(
  call: Call,
  token: string,
  importId: string,
  o: { everyMs?: number; timeoutMs?: number } = {},
): Promise<ImportView> {
  const every = o.everyMs ?? 250;
  const deadline = Date.now() + (o.timeoutMs ?? 20 * 60_000);
  for (;;) {
    const r = await call('GET', `/town/imports/${importId}`, { token });
    if (r.status !== 200) throw new Error(`import ${importId}: status answered ${r.status}`);
    const v = importView(r.body, `import ${importId}`);
    if (v.status === 'done') return v;
    if (v.status === 'failed') throw new Error(`import ${importId} failed: ${v.error ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new Error(`import ${importId} did not finish in time (${v.progress?.done ?? 0} rows done)`);
    await new Promise((ok) => setTimeout(ok, every));
  }
}

/** Previews a file, checks it imports whole, commits it and waits for the run: for fixtures, unmeasured. */
export async function importWhole(call: Call, token: string, fileName: string, bytes: Uint8Array): Promise<ImportView> {
  const preview = await call('POST', '/town/imports', { token, body: uploadBody(fileName, bytes) });
  if (preview.status !== 201) throw new Error(`preview of ${fileName} answered ${preview.status}: ${String(preview.text).slice(0, 300)}`);
  const v = importView(preview.body, fileName);
  if (v.stats.rejected > 0 || v.fileErrors.length > 0)
    throw new Error(`${fileName}: ${v.stats.rejected} row(s) rejected: ${JSON.stringify(v.issues.slice(0, 5))}`);
  const commit = await call('POST', `/town/imports/${v.importId}/commit`, { token });
  if (commit.status !== 202) throw new Error(`commit of ${fileName} answered ${commit.status}`);
  const done = await waitForImport(call, token, v.importId);
  if ((done.progress?.failed ?? 0) > 0) throw new Error(`${fileName}: ${done.progress?.failed} row(s) failed to import`);
  // The run's last write may be observed just after its status was read: let it land before anything is measured.
  await new Promise((ok) => setTimeout(ok, 250));
  return done;
}
