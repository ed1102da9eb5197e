import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Page, PutTownResult, RollupRunResult, RollupView, Town } from '@gridline/domain';

/** Exit codes: scripts can tell a refusal from a typo from an outage. */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3, auth: 4 } as const;

export type CliIo = {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: typeof fetch;
};

const USAGE = `gridline — county IT's command line for Gridline

Usage:
  gridline towns list [--limit N] [--all]
  gridline towns show <townId>
  gridline towns create <townId> --name <名称> [--name-en <name>] [--kind town|subdistrict]
                        --admin-username <username> --admin-name <姓名>
  gridline towns suspend <townId>
  gridline towns resume <townId>
  gridline towns reconcile <townId> [--fix]    recount the town's counters: drift per counter (fixed with --fix)
  gridline rollup run  --period 2026-11 | --date 2026-11-27 | --quarter 2026-Q4
  gridline rollup show --period 2026-11 | --date 2026-11-27 | --quarter 2026-Q4

Connection:
  --api <url>        API base (env GRIDLINE_API_URL, default http://localhost:5173/api)
  --token <jwt>      ID token of a county admin (env GRIDLINE_TOKEN)
  --user <name>      or sign in through the local issuer (env GRIDLINE_USER, GRIDLINE_PASSWORD)
  --json             print the API's JSON instead of a table

Exit codes: 0 done, 1 refused by the API (4xx), 2 usage error, 3 API unreachable or failing, 4 not signed in / not allowed.`;

class CliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs one CLI invocation and returns its exit code; all I/O goes through `io` so tests can drive it. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return positionals.length === 0 && !values.help ? EXIT.usage : EXIT.ok;
  }
  const [group, command, townId] = positionals;
  const api = (values.api ?? io.env.GRIDLINE_API_URL ?? 'http://localhost:5173/api').replace(/\/$/, '');
  const doFetch = io.fetch ?? fetch;
  try {
    if ((group !== 'towns' && group !== 'rollup') || !command) throw new CliError(EXIT.usage, `unknown command: ${positionals.join(' ')}`);
    const token = await resolveToken(values, io, api, doFetch);
    const request = async (method: string, path: string, body?: unknown) => callApi(doFetch, api, token, method, path, body);
    if (group === 'rollup') return await rollupCommand(command, values, io, request);
    const needTown = () => {
      if (!townId) throw new CliError(EXIT.usage, `towns ${command} needs a town id`);
      return encodeURIComponent(townId);
    };
    switch (command) {
      case 'list': {
        const limit = Number(values.limit ?? 25);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError(EXIT.usage, '--limit must be 1–100');
        const towns: Town[] = [];
        let cursor: string | null = null;
        do {
          const q: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = (await request('GET', `/admin/towns${q}`)) as Page<Town>;
          towns.push(...page.items);
          cursor = values.all ? page.nextCursor : null;
        } while (cursor);
        if (values.json) io.out(JSON.stringify(towns, null, 2));
        else printTowns(io, towns);
        return EXIT.ok;
      }
      case 'show': {
        const town = (await request('GET', `/admin/towns/${needTown()}`)) as Town;
        if (values.json) io.out(JSON.stringify(town, null, 2));
        else printTowns(io, [town]);
        return EXIT.ok;
      }
      case 'create': {
        const id = needTown();
        if (!values.name || !values['admin-username'] || !values['admin-name'])
          throw new CliError(EXIT.usage, 'towns create needs --name, --admin-username and --admin-name');
        const spec = {
          name: values.name,
          ...(values['name-en'] ? { nameEn: values['name-en'] } : {}),
          kind: values.kind ?? 'town',
          admin: { username: values['admin-username'], displayName: values['admin-name'] },
        };
        const res = (await request('PUT', `/admin/towns/${id}`, spec)) as PutTownResult;
        if (values.json) io.out(JSON.stringify(res, null, 2));
        else {
          printTowns(io, [res.town]);
          if (res.initialCredentials)
            io.out(
              `\nFirst admin: ${res.initialCredentials.username}  one-time password: ${res.initialCredentials.temporaryPassword}\n(shown once: hand it over in person)`,
            );
          else io.out('\nThe town already existed with this specification: nothing changed.');
        }
        return EXIT.ok;
      }
      case 'suspend':
      case 'resume': {
        const town = (await request('POST', `/admin/towns/${needTown()}/${command}`)) as Town;
        if (values.json) io.out(JSON.stringify(town, null, 2));
        else io.out(`${town.townId} ${town.name}: ${town.status}`);
        return EXIT.ok;
      }
      case 'reconcile': {
        const r = (await request('POST', `/admin/towns/${needTown()}/reconcile`, { fix: values.fix === true })) as Reconciliation;
        if (values.json) io.out(JSON.stringify(r, null, 2));
        else printReconciliation(io, r);
        return EXIT.ok;
      }
      default:
        throw new CliError(EXIT.usage, `unknown command: towns ${command}`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(e.code === EXIT.usage ? `${e.message}\n\n${USAGE}` : e.message);
      return e.code;
    }
    io.err(`unexpected failure: ${(e as Error).message}`);
    return EXIT.unreachable;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      token: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      limit: { type: 'string' },
      all: { type: 'boolean' },
      name: { type: 'string' },
      'name-en': { type: 'string' },
      kind: { type: 'string' },
      'admin-username': { type: 'string' },
      'admin-name': { type: 'string' },
      period: { type: 'string' },
      date: { type: 'string' },
      quarter: { type: 'string' },
      fix: { type: 'boolean' },
    },
  });
}

async function resolveToken(
  values: { token?: string | undefined; user?: string | undefined; password?: string | undefined },
  io: CliIo,
  api: string,
  doFetch: typeof fetch,
): Promise<string> {
  const token = values.token ?? io.env.GRIDLINE_TOKEN;
  if (token) return token;
  const user = values.user ?? io.env.GRIDLINE_USER;
  const password = values.password ?? io.env.GRIDLINE_PASSWORD;
  if (!user || !password)
    throw new CliError(EXIT.auth, 'Not signed in: give --token (or GRIDLINE_TOKEN), or --user and GRIDLINE_PASSWORD for a local instance.');
  // Local instances serve their issuer beside the API (…/api → …/auth).
  const auth = api.replace(/\/api$/, '/auth');
  let res: Response;
  try {
    res = await doFetch(`${auth}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password }),
    });
  } catch {
    throw new CliError(EXIT.unreachable, `Cannot reach the sign-in service at ${auth}.`);
  }
  if (!res.ok) throw new CliError(EXIT.auth, `Sign-in refused for ${user} (${res.status}).`);
  return ((await res.json()) as { idToken: string }).idToken;
}

/** Waits before each retry of a 503 or an unreachable API (ms); the same Idempotency-Key goes with each. */
export const CLI_RETRY_DELAYS = [1000, 2000, 4000];

async function callApi(
  doFetch: typeof fetch,
  api: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  delays: readonly number[] = CLI_RETRY_DELAYS,
): Promise<unknown> {
  // One key per command: a retry after a lost answer cannot apply the change twice.
  const key = method === 'GET' ? undefined : randomUUID();
  let res: Response | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await doFetch(`${api}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      res = undefined;
    }
    const delay = delays[attempt];
    if ((res && res.status !== 503) || delay === undefined) break;
    await new Promise((r) => setTimeout(r, delay));
  }
  if (!res) throw new CliError(EXIT.unreachable, `Cannot reach the Gridline API at ${api}. Is it running (npm start)?`);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok) return json;
  const error = (json as { error?: { code: string; message: string; field?: string; requestId?: string } } | undefined)?.error;
  const detail = error
    ? `${error.code}: ${error.message}${error.field ? ` (${error.field})` : ''}${error.requestId ? ` [request ${error.requestId}]` : ''}`
    : text.slice(0, 200);
  if (res.status === 401) throw new CliError(EXIT.auth, `Not signed in or the token expired (401). ${detail}`);
  if (res.status === 403) throw new CliError(EXIT.auth, `Not allowed (403). ${detail}`);
  if (res.status >= 500) throw new CliError(EXIT.unreachable, `The API failed (${res.status}). ${detail}`);
  throw new CliError(EXIT.refused, `Refused (${res.status}). ${detail}`);
}

function printTowns(io: CliIo, towns: Town[]) {
  if (towns.length === 0) {
    io.out('No towns yet.');
    return;
  }
  io.out(['TOWN ID'.padEnd(16), 'STATUS'.padEnd(10), 'KIND'.padEnd(12), 'ADMIN'.padEnd(22), 'NAME'].join(' '));
  for (const t of towns)
    io.out(
      [
        t.townId.padEnd(16),
        t.status.padEnd(10),
        t.kind.padEnd(12),
        t.admin.username.padEnd(22),
        `${t.name}${t.nameEn ? ` (${t.nameEn})` : ''}`,
      ].join(' '),
    );
}

type Reconciliation = {
  townId: string;
  at: string;
  fixed: boolean;
  people: number;
  households: number;
  driftCount: number;
  drift: Array<{ counter: string; metric: string; stored: number; expected: number }>;
  householdsWithDrift: number;
};

function printReconciliation(io: CliIo, r: Reconciliation) {
  io.out(`Reconciled ${r.townId} at ${r.at}: ${r.people} people, ${r.households} households recounted.`);
  if (r.driftCount === 0) {
    io.out('No drift: every counter equals the recount.');
    return;
  }
  io.out(
    `${r.driftCount} counter(s) drifted${r.fixed ? ', now set to the recount' : '; run again with --fix to set them to the recount'}.`,
  );
  if (r.drift.length > 0) {
    io.out(['COUNTER'.padEnd(24), 'METRIC'.padEnd(24), 'STORED'.padStart(8), 'RECOUNT'.padStart(8)].join(' '));
    for (const d of r.drift)
      io.out([d.counter.padEnd(24), d.metric.padEnd(24), String(d.stored).padStart(8), String(d.expected).padStart(8)].join(' '));
  }
  if (r.householdsWithDrift > 0) io.out(`Households whose member count drifted: ${r.householdsWithDrift}.`);
}

type Request = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** `rollup run` and `rollup show`: one period, named by exactly one of --period, --date or --quarter. */
async function rollupCommand(
  command: string,
  values: { period?: string | undefined; date?: string | undefined; quarter?: string | undefined; json?: boolean | undefined },
  io: CliIo,
  request: Request,
): Promise<number> {
  const given = [values.period, values.date, values.quarter].filter((v): v is string => v !== undefined);
  if (given.length !== 1) throw new CliError(EXIT.usage, `rollup ${command} needs one of --period, --date or --quarter`);
  const period = given[0] as string;
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(period)) throw new CliError(EXIT.usage, '--date is a day, e.g. 2026-11-27');
  if (values.quarter !== undefined && !/^\d{4}-Q[1-4]$/.test(period)) throw new CliError(EXIT.usage, '--quarter is e.g. 2026-Q4');
  if (command === 'run') {
    const r = (await request('POST', '/admin/rollups/run', { period })) as RollupRunResult;
    if (values.json) io.out(JSON.stringify(r, null, 2));
    else {
      io.out(`Rollup ${r.period}: ${r.ok.length} of ${r.towns} towns rolled up.`);
      for (const f of r.failed) io.out(`  FAILED ${f.townId}: ${f.error}`);
      for (const f of r.files) io.out(`  file ${f}`);
    }
    return r.failed.length > 0 ? EXIT.refused : EXIT.ok;
  }
  if (command === 'show') {
    const view = (await request('GET', `/admin/rollups?period=${encodeURIComponent(period)}`)) as RollupView;
    if (values.json) io.out(JSON.stringify(view, null, 2));
    else printRollup(io, view);
    return EXIT.ok;
  }
  throw new CliError(EXIT.usage, `unknown command: rollup ${command}`);
}

function printRollup(io: CliIo, view: RollupView) {
  const rows = [view.county, ...view.towns];
  const cols = rows.map((r) => r.townId ?? 'COUNTY');
  const width = Math.max(...view.metrics.map((m) => m.label.en.length), 10);
  io.out(`Rollup ${view.period}${view.complete ? '' : ' (incomplete)'}, computed ${view.computedAt}`);
  io.out(['METRIC'.padEnd(width), ...cols.map((c) => c.padStart(12))].join(' '));
  for (const m of view.metrics)
    io.out(
      [
        m.label.en.padEnd(width),
        ...rows.map((r) => {
          const v = r.metrics ? r.metrics[m.id] : undefined;
          const d = r.change ? r.change[m.id] : undefined;
          const change = typeof d === 'number' && d !== 0 ? ` (${d > 0 ? '+' : ''}${d})` : '';
          return `${v === undefined ? '-' : v}${change}`.padStart(12);
        }),
      ].join(' '),
    );
  for (const f of view.failed) io.out(`FAILED ${f.townId}: ${f.error}`);
}
