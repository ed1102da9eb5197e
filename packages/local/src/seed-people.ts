import { readFileSync } from 'node:fs';
import type { TagLists } from '@gridline/book';
import { forTown, runInScope, townPrefix } from '@gridline/data';
import { type ImportIssue, type ImportRecord, importsOf } from '@gridline/data/imports';
import { parseScope, type TownPrincipal } from '@gridline/domain';
import { runJob } from '@gridline/functions/jobs';
import type { LocalDirectory } from '@gridline/identity';
import { DEMO_BOOK_SIZES, demoBookFile } from './demo-book';
import { DEMO_TOWNS } from './seed';

/** The project's copy of the shared sample book: 400 people in 131 households, laid out on 青石镇's org chart. */
const SAMPLE_BOOK = new URL('../../book/fixtures/book.xlsx', import.meta.url);

/**
 * DynamoDB Local has no provisioned capacity to protect, so the demo's imports run unpaced (as the
 * tests run them) unless GRIDLINE_IMPORT_WCU_PER_SECOND is set.
 */
const DEMO_IMPORT_WCU_PER_SECOND = '1000000';

export type DemoResidents = {
  townId: string;
  name: string;
  source: 'sample' | 'generated';
  importId: string;
  people: number;
  households: number;
  floating: number;
  special: number;
};

type DemoTown = (typeof DEMO_TOWNS)[number];

/**
 * Fills the demo towns' population books: 青石镇 imports the sample book, the other towns their
 * generated books (see demo-book.ts). Each goes through the real import: a preview as the town's
 * seeded admin, then the commit run by the jobs function's import job, so households, courtyards,
 * encryption, counters and audit are what a town would get. The towns import side by side (their
 * keys never meet). The demo data must be clean: any refused row, file error or failed write throws
 * with the import's reasons.
 */
export async function seedDemoResidents(
  directory: LocalDirectory,
  options: { now?: string; log?: (line: string) => void } = {},
): Promise<DemoResidents[]> {
  const now = options.now ?? new Date().toISOString();
  const log = options.log ?? ((line: string) => console.log(line));
  const pace = process.env.GRIDLINE_IMPORT_WCU_PER_SECOND;
  process.env.GRIDLINE_IMPORT_WCU_PER_SECOND = pace ?? DEMO_IMPORT_WCU_PER_SECOND;
  try {
    const settled = await Promise.allSettled(DEMO_TOWNS.map((town) => importTownBook(town, directory, now)));
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (failed.length) throw failed.length === 1 ? failed[0] : new AggregateError(failed, failed.map(String).join('\n'));
    const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const r of results)
      log(
        `    ${r.name} ${r.townId}: ${r.people} people in ${r.households} households ` +
          `(${r.floating} floating, ${r.special} in special groups; ${r.source === 'sample' ? 'the sample book' : 'generated book'})`,
      );
    return results;
  } finally {
    if (pace === undefined) delete process.env.GRIDLINE_IMPORT_WCU_PER_SECOND;
    else process.env.GRIDLINE_IMPORT_WCU_PER_SECOND = pace;
  }
}

/** One town's book: preview as its admin, refuse any refused row, queue, run the import job, read the counters back. */
async function importTownBook(town: DemoTown, directory: LocalDirectory, now: string): Promise<DemoResidents> {
  const admin = directory.find(`${town.townId}.admin`);
  if (!admin || admin.townId !== town.townId || admin.role !== 'town_admin')
    throw new Error(`the demo town ${town.townId} has no admin to import its book`);
  const principal: TownPrincipal = {
    kind: 'town',
    townId: town.townId,
    userId: admin.sub,
    username: admin.username,
    role: 'town_admin',
    scope: parseScope(admin.scope),
  };
  const inTown = <T>(fn: () => Promise<T>) =>
    runInScope({ requestId: `seed-residents-${town.townId}`, tenant: town.townId, allowedPrefixes: [townPrefix(town.townId)] }, fn);
  const sample = town.townId === 'qingshi';

  const file = await inTown(async () => {
    if (sample) return { fileName: 'book.xlsx', bytes: new Uint8Array(readFileSync(SAMPLE_BOOK)) };
    const config = await forTown(town.townId).config();
    const tags: TagLists = { specialGroups: config.specialGroups, keyGroups: config.keyGroups };
    return demoBookFile(town.townId, { today: chinaDay(now), tags, people: DEMO_BOOK_SIZES[town.townId] as number });
  });
  const preview = await inTown(() => importsOf(principal).preview(file.fileName, file.bytes, now));
  const refused = [...preview.fileErrors, ...preview.issues];
  if (refused.length || preview.stats.rejected > 0)
    throw new Error(`the demo book of ${town.townId} has refused rows:\n${refused.map(describe).join('\n')}`);
  await inTown(() => importsOf(principal).queue(preview.importId, now));
  // The commit runs as the jobs function runs it: in the town's scope, with the committing admin's rights.
  const done = (await runJob({ job: 'import', town: town.townId, importId: preview.importId, at: now })) as ImportRecord;
  if (done.status !== 'done' || done.progress?.failed !== 0 || done.progress.done !== preview.stats.accepted)
    throw new Error(
      `the demo book of ${town.townId} did not import cleanly: ${done.status} ${JSON.stringify(done.progress)}${done.error ? ` (${done.error})` : ''}`,
    );
  const counters = await inTown(() => forTown(town.townId).counters());
  return {
    townId: town.townId,
    name: town.name,
    source: sample ? 'sample' : 'generated',
    importId: preview.importId,
    people: counters.people ?? 0,
    households: counters.households ?? 0,
    floating: counters.res_floating ?? 0,
    special: counters.special ?? 0,
  };
}

/** The calendar day in China (UTC+8) of an instant: the book's dates are Chinese dates. */
function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

function describe(i: ImportIssue): string {
  return `  ${i.row === undefined ? 'file' : `row ${i.row}`}${i.field ? ` (${i.field})` : ''}: ${i.code} ${i.message.en}`;
}
