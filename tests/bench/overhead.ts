import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { townKeys } from '@gridline/data';
import { ensureTable, plainReads, reloadDataAccess } from '@gridline/data/admin';
import { startDynamo } from '@gridline/local';
import { startTestStack } from '../support/stack';
import { BENCH_TOWN, importSampleBook, LIST_GRID } from './fixtures';
import { PAGE } from './recipes';

/** Issue 10, item 7: a request through the local API costs at most this many times the same raw reads. */
export const OVERHEAD_BUDGET = 1.5;
const WARMUP = 40;
const ROUNDS = 400;

export type OverheadRow = {
  label: string;
  /** What the route reads, which the raw side reads the same way. */
  reads: string;
  apiP50: number;
  apiP90: number;
  rawP50: number;
  rawP90: number;
  ratio: number;
  verdict: 'ok' | 'FAIL';
  problem?: string;
};
export type Overhead = { rounds: number; rows: OverheadRow[] };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))] as number;
};

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * API overhead, side by side in one run: `GET /town/me` and a population-book list page, each over HTTP
 * through the local API (JWT check, pipeline, status read, handler), against the same DynamoDB calls made
 * raw with a plain document client on the same DynamoDB Local. The two sides alternate round by round
 * so that load on the shared machine falls on both alike. Its own DynamoDB Local and table.
 */
export async function measureOverhead(say: (msg: string) => void): Promise<Overhead> {
  const dynamo = await startDynamo();
  process.env.GRIDLINE_DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.GRIDLINE_TABLE = 'gridline-bench-overhead';
  process.env.GRIDLINE_CURSOR_SECRET = randomBytes(24).toString('base64url');
  process.env.GRIDLINE_MASTER_KEY = randomBytes(32).toString('base64');
  const blobs = mkdtempSync(join(tmpdir(), 'gridline-bench-blobs-'));
  process.env.GRIDLINE_BLOB_DIR = blobs;
  // In a whole run the capacity part has built the data clients against its own DynamoDB Local, stopped by now.
  reloadDataAccess();
  try {
    await ensureTable();
    const stack = await startTestStack();
    try {
      const token = await stack.token(`${BENCH_TOWN}.admin`);
      await importSampleBook(stack.call, token);
      const k = townKeys(BENCH_TOWN);
      // The same reads the route makes, in its order (every town route reads the town's status first),
      // through a plain SDK client: what remains between the two sides is the API's own work.
      const raw = plainReads();
      const status = () => raw.get(k.meta());
      const grid = () => raw.get(k.grid(LIST_GRID));
      // Node's http client with keep-alive, the transport the SDK uses on the raw side, so both sides
      // pay the same per-request client cost (fetch costs more on its own; see the report).
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const api = new URL(stack.apiUrl);
      const ok = (path: string, query?: Record<string, string>) =>
        new Promise<void>((resolve, reject) => {
          const qs = query ? `?${new URLSearchParams(query)}` : '';
          const req = request(
            {
              host: api.hostname,
              port: api.port,
              path: `${api.pathname}${path}${qs}`,
              agent,
              headers: { authorization: `Bearer ${token}` },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${text}`));
                else {
                  JSON.parse(text);
                  resolve();
                }
              });
            },
          );
          req.on('error', reject);
          req.end();
        });
      const pairs = [
        {
          label: 'GET /town/me',
          reads: 'GetItem (town status)',
          api: () => ok('/town/me'),
          raw: async () => {
            await status();
          },
        },
        {
          label: `GET /town/grids/${LIST_GRID}/households?limit=${PAGE}`,
          reads: `GetItem (town status), GetItem (grid), Query (${PAGE} households)`,
          api: () => ok(`/town/grids/${LIST_GRID}/households`, { limit: String(PAGE) }),
          raw: async () => {
            await status();
            await grid();
            const items = await raw.query(k.householdsPk(LIST_GRID), PAGE);
            if (items.length !== PAGE) throw new Error(`the raw page returned ${items.length} items, not ${PAGE}`);
          },
        },
      ];
      const rows: OverheadRow[] = [];
      for (const p of pairs) {
        for (let i = 0; i < WARMUP; i++) {
          await p.api();
          await p.raw();
        }
        const api: number[] = [];
        const direct: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          // Alternate which side goes first, so neither always follows the other's garbage.
          if (i % 2) {
            api.push(await timed(p.api));
            direct.push(await timed(p.raw));
          } else {
            direct.push(await timed(p.raw));
            api.push(await timed(p.api));
          }
        }
        const row: OverheadRow = {
          label: p.label,
          reads: p.reads,
          apiP50: pct(api, 0.5),
          apiP90: pct(api, 0.9),
          rawP50: pct(direct, 0.5),
          rawP90: pct(direct, 0.9),
          ratio: pct(api, 0.5) / pct(direct, 0.5),
          verdict: 'ok',
        };
        if (row.ratio > OVERHEAD_BUDGET) {
          row.verdict = 'FAIL';
          row.problem = `${p.label}: p50 ${row.apiP50.toFixed(2)} ms through the API is ${row.ratio.toFixed(2)}× the raw reads' ${row.rawP50.toFixed(2)} ms; the budget is ${OVERHEAD_BUDGET}×`;
        }
        say(
          `overhead ${p.label}: API p50 ${row.apiP50.toFixed(2)} ms, raw p50 ${row.rawP50.toFixed(2)} ms, ${row.ratio.toFixed(2)}× — ${row.verdict}`,
        );
        rows.push(row);
      }
      raw.close();
      agent.destroy();
      return { rounds: ROUNDS, rows };
    } finally {
      await stack.close();
    }
  } finally {
    await dynamo.stop();
    rmSync(blobs, { recursive: true, force: true });
  }
}
