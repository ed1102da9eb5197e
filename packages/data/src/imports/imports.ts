import {
  BOOK_FIELDS,
  type BookField,
  type BookImport,
  type BookIssue,
  defaultTagLists,
  locateBook,
  normaliseHeader,
  readTable,
  type UserMapping,
  maskIdNumber,
  maskPhone,
  type PersonRecord,
  type RejectedRow,
  type TagLists,
  UNREADABLE_FILE_CODES,
  validateBook,
  writeBookCsv,
  writeBookXlsx,
  writeErrorFile,
} from '@gridline/book';
import {
  AppError,
  canAbandon,
  canResume,
  type ImportIssue,
  type ImportProgress,
  type ImportRecordView,
  type ImportStats,
  type ImportSummary,
  type OrgPlan,
  type PreviewOptions,
  type LeasePolicy,
  leasePolicy,
  newId,
  type TownPrincipal,
} from '@gridline/domain';
import { auditEntry } from '../audit';
import { orgOf } from '../org';
import { createHash } from 'node:crypto';
import { blobStore, townBlobKey } from '../blobs';
import { jobRunsOf, LeaseLost, type RunRecord, type RunRef } from '../job-runs';
import { townKeys } from '../keys';
import {
  batchGetAll,
  type Change,
  commitChange,
  commitInChunks,
  getItem,
  type Item,
  type Page,
  publicFields,
  queryAll,
  queryPage,
  type Write,
} from '../ops';
import { bookOf, KEY_GROUPS_PERMISSION, type StoredHousehold, type StoredPerson } from '../book';
import { townVault } from '../vault';

export type { ImportIssue, ImportProgress, ImportStats, ImportSummary, OrgPlan, PreviewOptions } from '@gridline/domain';
/** The fields a column can be mapped to, for the route schemas. */
export const IMPORT_FIELDS = BOOK_FIELDS;
/** An import as stored: what the API answers with, plus the uploader's key-group right and the run's lease. */
export type ImportRecord = ImportRecordView & {
  keyGroups: boolean;
  leaseOwner?: string;
  leaseUntil?: string;
  heartbeatAt?: string;
};
/** How a run is carried out: who it runs as (the lease owner), its lease policy, and how it waits (tests pass a fake). */
export type RunOptions = { owner?: string; policy?: LeasePolicy; sleep?: (ms: number) => Promise<void> };

const summaryOf = (r: ImportRecord): ImportSummary => ({
  importId: r.importId,
  fileName: r.fileName,
  status: r.status,
  stats: r.stats,
  ...(r.progress ? { progress: r.progress } : {}),
  by: r.by,
  createdAt: r.createdAt,
  ...(r.startedAt ? { startedAt: r.startedAt } : {}),
  ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
  ...(r.error ? { error: r.error } : {}),
  ...(r.errorCode ? { errorCode: r.errorCode } : {}),
  ...(r.attempts !== undefined ? { attempts: r.attempts } : {}),
  rejected: r.stats.rejected,
});

const MAX_ISSUES_KEPT = 200;
/** How fast one import may write (units per second), so the town's other work keeps its share. */
const importWriteRate = () => Number(process.env.GRIDLINE_IMPORT_WCU_PER_SECOND ?? 1500);

type Org = {
  communities: Map<string, string>;
  grids: Map<string, { gridId: string; communityId: string }>;
  courtyards: Map<string, string>;
  /** By `orgKey`: the same units, for names written with other spacing, width or without the suffix. */
  communityByKey: Map<string, { id: string; name: string }>;
  gridByKey: Map<string, { gridId: string; communityId: string; name: string }>;
};

/** A unit's name reduced for matching: NFKC (full-width to half-width), no spaces, no 社区/网格 suffix. */
export function orgKey(name: string, kind: 'community' | 'grid'): string {
  const bare = name.normalize('NFKC').replace(/\s+/g, '');
  const suffix = kind === 'community' ? /(社区|居委会)$/ : /网格$/;
  const cut = bare.replace(suffix, '');
  return cut === '' ? bare : cut;
}

/** Whether two reduced names differ by one character (changed, added or dropped): a likely typo. */
function nearMiss(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 2) return false;
  const [s, t] = a.length <= b.length ? [[...a], [...b]] : [[...b], [...a]];
  let i = 0;
  while (i < s.length && s[i] === t[i]) i++;
  const rest = (x: string[], from: number) => x.slice(from).join('');
  return s.length === t.length ? rest(s, i + 1) === rest(t, i + 1) : rest(s, i) === rest(t, i + 1);
}
type Planned = {
  row: number;
  record: PersonRecord;
  gridId: string;
  communityId: string;
  courtyardKey?: string;
  idHash: string;
  action: 'create' | 'update' | 'unchanged';
  existing?: StoredPerson;
};
type Plan = {
  book: BookImport;
  org: OrgPlan;
  /** The user's mapping in force (given, or remembered for these headers), and the headers' key. */
  mapping: UserMapping;
  headersKey: string;
  /** The cells of every data row as written, by data row number (for the error file). */
  cells: Map<number, string[]>;
  planned: Planned[];
  extraRejected: RejectedRow[];
  newCourtyards: Map<string, { gridId: string; name: string }>;
  newHouseholds: Map<string, { gridId: string; communityId: string; courtyardKey?: string; door: string }>;
  existingHouseholds: Map<string, { gridId: string; householdId: string }>;
};

const issueOf = (i: BookIssue): ImportIssue => ({
  ...(i.row !== undefined ? { row: i.row } : {}),
  ...(i.field ? { field: i.field } : {}),
  code: i.code,
  message: i.message,
});
const msg = (zh: string, en: string) => ({ zh, en });
const MAX_WARNINGS_KEPT = 100;

/** A short stable key of a header row, for remembering the mapping chosen for files laid out the same way. */
function headersKeyOf(headers: readonly string[]): string {
  return createHash('sha256').update(headers.map(normaliseHeader).join('\u0001')).digest('base64url').slice(0, 22);
}

/**
 * Population-book imports for one town: a dry run that says what would change (and why rows are
 * refused), then a commit that runs in the background, rate-limited, reporting progress. A re-run of
 * the same file changes nothing: people are matched by ID number, households by their 户编号.
 */
export function importsOf(principal: TownPrincipal) {
  const townId = principal.townId;
  const k = townKeys(townId);
  const book = bookOf(principal);
  const keyGroups = (principal.scope.permissions ?? []).includes(KEY_GROUPS_PERMISSION);

  const mappingKey = (headersKey: string) => k.importMapping(headersKey);

  async function tagLists(): Promise<TagLists> {
    const config = await queryAll<{ part: string; value: Array<{ id: string; label: { zh: string; en: string } }> }>(k.configPk);
    const defaults = defaultTagLists();
    const withAliases = (part: 'specialGroups' | 'keyGroups') =>
      (config.find((c) => c.part === part)?.value ?? []).map((t) => ({
        ...t,
        aliases: defaults[part].find((d) => d.id === t.id)?.aliases ?? [],
      }));
    return { specialGroups: withAliases('specialGroups'), keyGroups: withAliases('keyGroups') };
  }

  async function org(): Promise<Org> {
    const items = await queryAll<Item>(k.orgPk);
    const active = items.filter((i) => i.status !== 'retired');
    const o: Org = { communities: new Map(), grids: new Map(), courtyards: new Map(), communityByKey: new Map(), gridByKey: new Map() };
    for (const c of active.filter((i) => i.type === 'Community')) {
      o.communities.set(String(c.name), String(c.communityId));
      o.communityByKey.set(orgKey(String(c.name), 'community'), { id: String(c.communityId), name: String(c.name) });
    }
    for (const g of active.filter((i) => i.type === 'Grid')) {
      const grid = { gridId: String(g.gridId), communityId: String(g.communityId) };
      o.grids.set(`${String(g.communityId)}|${String(g.name)}`, grid);
      o.gridByKey.set(`${String(g.communityId)}|${orgKey(String(g.name), 'grid')}`, { ...grid, name: String(g.name) });
    }
    for (const y of active.filter((i) => i.type === 'Courtyard'))
      o.courtyards.set(`${String(y.gridId)}|${String(y.name)}`, String(y.courtyardId));
    return o;
  }

  /** Reads the file, validates it, and matches it against the town: who is new, who changed, who is the same. */
  async function plan(bytes: Uint8Array, options: PreviewOptions = {}): Promise<Plan> {
    const table = readTable(bytes);
    let mapping: UserMapping = Object.fromEntries((options.mapping ?? []).map((m) => [m.header, m.field]));
    let raw = locateBook(table, { mapping });
    const headersKey = headersKeyOf(raw.headers);
    if (options.mapping === undefined && raw.headers.length > 0) {
      // The mapping a user chose for a file with these same headers, remembered when it was committed.
      const remembered = await getItem<{ mapping: Record<string, BookField | null> }>(mappingKey(headersKey));
      if (remembered) {
        mapping = remembered.mapping;
        raw = locateBook(table, { mapping });
      }
    }
    const { rows, warnings: _w, ...file } = raw;
    const o = await org();
    const orgPlan: OrgPlan = { communities: [], grids: [], nearMisses: [] };
    const noted = new Set<string>();
    const note = (key: string, add: () => void) => {
      if (!noted.has(key)) {
        noted.add(key);
        add();
      }
    };
    const refuse = (code: string, field: BookField, message: { zh: string; en: string }): BookIssue[] => [
      { severity: 'error', code, field, message },
    ];
    /** The community and grid a row names: existing ids, `new:` placeholders to create, or the reason it is refused. */
    const placeOf = (r: PersonRecord): { communityId: string; gridId: string } | BookIssue[] => {
      const cKey = orgKey(r.community, 'community');
      let community = o.communityByKey.get(cKey)?.id;
      if (!community) {
        const close = [...o.communityByKey.entries()].find(([key]) => nearMiss(key, cKey));
        if (close) {
          note(`c|${r.community}`, () => orgPlan.nearMisses.push({ kind: 'community', name: r.community, existing: close[1].name }));
          return refuse(
            'import.community_near_miss',
            'community',
            msg(
              `社区“${r.community}”与已有的“${close[1].name}”只差一个字，请确认后改为已有名称，或在组织架构中先建立`,
              `Community "${r.community}" differs by one character from the existing "${close[1].name}"; correct it, or create it in the org chart first`,
            ),
          );
        }
        // Listed in every preview; created (and its rows kept) only when the admin chose to create them.
        note(`c|${cKey}`, () => orgPlan.communities.push(r.community));
        if (!options.createOrg) {
          note(`g|new:${cKey}|${orgKey(r.grid, 'grid')}`, () => orgPlan.grids.push({ community: r.community, grid: r.grid }));
          return refuse(
            'import.grid_unknown',
            'grid',
            msg(`本镇没有“${r.community} ${r.grid}”这个网格`, `No grid "${r.grid}" in community "${r.community}" in this town`),
          );
        }
        community = `new:${cKey}`;
      }
      const gKey = orgKey(r.grid, 'grid');
      const grid = o.gridByKey.get(`${community}|${gKey}`);
      if (grid) return { communityId: grid.communityId, gridId: grid.gridId };
      const close = [...o.gridByKey.entries()].find(
        ([key]) => key.startsWith(`${community}|`) && nearMiss(key.slice(community.length + 1), gKey),
      );
      if (close) {
        note(`g|${community}|${r.grid}`, () => orgPlan.nearMisses.push({ kind: 'grid', name: r.grid, existing: close[1].name }));
        return refuse(
          'import.grid_near_miss',
          'grid',
          msg(
            `网格“${r.grid}”与本社区已有的“${close[1].name}”只差一个字，请确认后改为已有名称，或在组织架构中先建立`,
            `Grid "${r.grid}" differs by one character from the community's existing "${close[1].name}"; correct it, or create it in the org chart first`,
          ),
        );
      }
      note(`g|${community}|${gKey}`, () => orgPlan.grids.push({ community: r.community, grid: r.grid }));
      if (!options.createOrg)
        return refuse(
          'import.grid_unknown',
          'grid',
          msg(`本镇没有“${r.community} ${r.grid}”这个网格`, `No grid "${r.grid}" in community "${r.community}" in this town`),
        );
      return { communityId: community, gridId: `new:${community}|${gKey}` };
    };
    const places = new Map<number, { communityId: string; gridId: string }>();
    // Town checks run inside validation, so a row they refuse claims neither its ID nor its household.
    const checkRow = (r: PersonRecord, rawRow: { row: number }): BookIssue[] => {
      const place = placeOf(r);
      if (Array.isArray(place)) return place;
      places.set(rawRow.row, place);
      if (r.keyTags.length && !keyGroups)
        return [
          {
            severity: 'error',
            code: 'import.key_groups_forbidden',
            field: 'tags',
            message: msg('导入重点人群标签需要专门授权', 'Importing key-group tags needs an explicit permission'),
          },
        ];
      return [];
    };
    const parsed: BookImport = { ...file, ...validateBook(raw, { tags: await tagLists(), checkRow }) };
    const result: Plan = {
      book: parsed,
      org: orgPlan,
      mapping,
      headersKey,
      cells: new Map(rows.map((r) => [r.row, r.cells])),
      planned: [],
      extraRejected: [],
      newCourtyards: new Map(),
      newHouseholds: new Map(),
      existingHouseholds: new Map(),
    };
    if (parsed.fileErrors.length) return result;
    const vault = await townVault(townId);
    const reject = (row: number, field: string, code: string, message: { zh: string; en: string }) => {
      const source = parsed.people.find((p) => p.row === row);
      result.extraRejected.push({
        row,
        sheetRow: source?.sheetRow ?? row,
        cells: result.cells.get(row) ?? [],
        issues: [{ severity: 'error', code, message, row, field: field as never }],
      });
    };
    const located: Array<Omit<Planned, 'action'>> = [];
    for (const p of parsed.people) {
      const r = p.person;
      const grid = places.get(p.row) as { gridId: string; communityId: string };
      const courtyardKey = r.courtyard ? `${grid.gridId}|${r.courtyard}` : undefined;
      if (courtyardKey && !o.courtyards.has(courtyardKey))
        result.newCourtyards.set(courtyardKey, { gridId: grid.gridId, name: r.courtyard as string });
      located.push({
        row: p.row,
        record: r,
        gridId: grid.gridId,
        communityId: grid.communityId,
        ...(courtyardKey ? { courtyardKey } : {}),
        idHash: vault.lookupHash('idNumber', r.idNumber),
      });
    }
    // Existing people by ID, existing households by code: batched reads, never a scan.
    const locks = await batchGetAll<{ idHash?: string; pk: string; personId: string; gridId: string; householdId: string }>(
      [...new Set(located.map((l) => l.idHash))].map((h) => k.idLock(h)),
    );
    const lockByHash = new Map(locks.map((l) => [String(l.pk).slice(k.idLock('').pk.length), l]));
    const existingPeople = await batchGetAll<Item>(locks.map((l) => k.person(l.gridId, l.householdId, l.personId)));
    const personById = new Map(existingPeople.map((p) => [String(p.personId), publicFields<StoredPerson>(p)]));
    const codes = [...new Set(located.map((l) => l.record.householdNo))];
    const codeLocks = await batchGetAll<{ pk: string; gridId: string; householdId: string }>(codes.map((c) => k.householdCode(c)));
    for (const c of codeLocks)
      result.existingHouseholds.set(String(c.pk).slice(k.householdCode('').pk.length), { gridId: c.gridId, householdId: c.householdId });
    // A closed household keeps its number: rows that would add to it or change its members are refused
    // here, in the preview, rather than failing when the import runs.
    const closedHomes = new Set(
      (await batchGetAll<Item>(codeLocks.map((c) => k.household(c.gridId, c.householdId))))
        .filter((h) => h.status === 'closed')
        .map((h) => String(h.householdId)),
    );

    const rejectClosed = (row: number) =>
      reject(
        row,
        'householdNo',
        'import.household_closed',
        msg(
          '该户已注销，不能再添加或修改成员；如需重新登记，请使用新的户编号',
          'This household is closed; use a new household number to register it again',
        ),
      );
    for (const l of located) {
      const home = result.existingHouseholds.get(l.record.householdNo);
      if (home && home.gridId !== l.gridId) {
        reject(
          l.row,
          'householdNo',
          'import.household_elsewhere',
          msg('该户编号已登记在另一个网格', 'This household number is registered in another grid'),
        );
        continue;
      }
      if (!home && !result.newHouseholds.has(l.record.householdNo))
        result.newHouseholds.set(l.record.householdNo, {
          gridId: l.gridId,
          communityId: l.communityId,
          ...(l.courtyardKey ? { courtyardKey: l.courtyardKey } : {}),
          door: l.record.door ?? '—',
        });
      const lock = lockByHash.get(l.idHash);
      const existing = lock ? personById.get(lock.personId) : undefined;
      if (!existing) {
        if (home && closedHomes.has(home.householdId)) {
          rejectClosed(l.row);
          continue;
        }
        result.planned.push({ ...l, action: 'create' });
        continue;
      }
      if (existing.gridId !== l.gridId || (home && existing.householdId !== home.householdId)) {
        reject(
          l.row,
          'grid',
          'import.person_elsewhere',
          msg(
            '此人已登记在别的户或网格，请在台账中登记迁移',
            'This person is registered in another household or grid; record a move in the book',
          ),
        );
        continue;
      }
      const action = sameAsStored(l.record, existing, vault.decrypt.bind(vault)) ? 'unchanged' : 'update';
      if (action === 'update' && home && closedHomes.has(home.householdId)) {
        rejectClosed(l.row);
        continue;
      }
      result.planned.push({ ...l, existing, action });
    }
    return result;
  }

  const statsOf = (p: Plan): ImportStats => ({
    rows: p.book.stats.rows,
    accepted: p.planned.length,
    rejected: p.book.stats.rejected + p.extraRejected.length,
    households: p.book.stats.households,
    create: p.planned.filter((x) => x.action === 'create').length,
    update: p.planned.filter((x) => x.action === 'update').length,
    unchanged: p.planned.filter((x) => x.action === 'unchanged').length,
    newHouseholds: p.newHouseholds.size,
    newCourtyards: p.newCourtyards.size,
  });
  const issuesOf = (p: Plan): ImportIssue[] =>
    [...p.book.rejected, ...p.extraRejected]
      .sort((a, b) => a.row - b.row)
      .flatMap((r) => r.issues.map(issueOf))
      .slice(0, MAX_ISSUES_KEPT);

  async function load(importId: string): Promise<ImportRecord & { blobKey: string; headersKey?: string }> {
    const item = await getItem<Item>(k.importRecord(importId), { consistent: true });
    if (!item) throw new AppError('import.not_found', 404, 'No such import in this town.');
    return publicFields<ImportRecord & { blobKey: string; headersKey?: string }>(item);
  }
  const view = ({ blobKey: _b, headersKey: _h, ...r }: ImportRecord & { blobKey: string; headersKey?: string }): ImportRecord => r;
  const runs = jobRunsOf(townId);
  const importRef = (importId: string): RunRef => ({ kind: 'import', runId: importId, key: k.importRecord(importId) });

  /** Marks an import that stopped on every attempt as failed, keeping what it did (its progress). */
  async function giveUp(importId: string, record: RunRecord, now: string): Promise<void> {
    const attempts = record.attempts ?? 0;
    const last = typeof record.lastError === 'string' ? ` The last error: ${record.lastError}` : '';
    await runs.giveUp(
      importRef(importId),
      record,
      {
        error: `The import stopped ${attempts} times before it finished.${last}`,
        errorCode: 'import.attempts_exhausted',
        finishedAt: now,
        leaseUntil: new Date(0).toISOString(),
      },
      [
        auditEntry(k.audit, {
          actor: 'job',
          action: 'import.fail',
          target: importId,
          at: now,
          details: { attempts, progress: record.progress ?? null },
        }),
      ],
    );
  }

  return {
    /** Stores the file and answers what importing it would do, row by row. Nothing else is written. */
    async preview(fileName: string, bytes: Uint8Array, now: string, options: PreviewOptions = {}): Promise<ImportRecord> {
      const importId = `i-${newId(Date.parse(now)).toLowerCase()}`;
      const blobKey = townBlobKey(townId, 'imports', importId, fileName);
      const p = await plan(bytes, options);
      // Bytes that are not a table at all (damaged, hostile or over a limit) are refused outright and
      // not kept; a table that is not a usable book still gets a preview that says why.
      const unreadable = p.book.fileErrors.find((e) => UNREADABLE_FILE_CODES.includes(e.code));
      if (unreadable) throw new AppError('book.file_unreadable', 422, unreadable.message.en);
      await blobStore().put(blobKey, bytes);
      const record: ImportRecord & { blobKey: string; headersKey: string } = {
        importId,
        fileName,
        status: 'previewed',
        stats: statsOf(p),
        issues: issuesOf(p),
        fileErrors: p.book.fileErrors.map(issueOf),
        columns: p.book.columns,
        warnings: p.book.warnings.map(issueOf).slice(0, MAX_WARNINGS_KEPT),
        org: p.org,
        // What the run must plan with: the mapping in force (given or remembered) and the org choice.
        options: {
          mapping: Object.entries(p.mapping).map(([header, field]) => ({ header, field })),
          ...(options.createOrg ? { createOrg: true } : {}),
        },
        headersKey: p.headersKey,
        by: principal.username,
        keyGroups,
        createdAt: now,
        version: 1,
        blobKey,
      };
      await commitChange({
        writes: [{ kind: 'create', item: { ...k.importRecord(importId), type: 'Import', ...record } }],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'import.preview',
            target: importId,
            at: now,
            details: { fileName, stats: record.stats },
          }),
        ],
      });
      return view(record);
    },

    async status(importId: string): Promise<ImportRecord> {
      return view(await load(importId));
    },

    /** Queues the import (once), listing it for the sweeper; the caller starts the background run. */
    async queue(importId: string, now: string): Promise<ImportRecord> {
      const r = await load(importId);
      if (r.status !== 'previewed') throw new AppError('import.not_previewed', 409, 'This import has already been committed.');
      if (r.fileErrors.length) throw new AppError('import.file_invalid', 409, 'This file cannot be imported; see its errors.');
      const chosen = r.options?.mapping ?? [];
      // Committing is the user's word that the mapping was right: remember it for files with these headers.
      const remember: Write[] =
        chosen.length > 0 && r.headersKey
          ? [
              {
                kind: 'put',
                item: {
                  ...mappingKey(r.headersKey),
                  type: 'ImportMapping',
                  mapping: Object.fromEntries(chosen.map((m) => [m.header, m.field])),
                  savedAt: now,
                  importId,
                },
              },
            ]
          : [];
      await commitChange({
        writes: [
          { kind: 'update', key: k.importRecord(importId), set: { status: 'queued', attempts: 0 }, version: r.version },
          runs.activeWrite(importRef(importId), now),
          ...remember,
        ],
        audit: [auditEntry(k.audit, { actor: principal.username, action: 'import.commit', target: importId, at: now })],
      });
      return view({ ...r, status: 'queued', attempts: 0, version: r.version + 1 });
    },

    /** The town's imports, newest first (import ids sort by time), without their row issues. */
    async list(limit: number, cursor: string | undefined): Promise<Page<ImportSummary>> {
      const page = await queryPage<Item>({ pk: k.importsPk, limit, cursor, listing: 'imports', forward: false });
      return { items: page.items.map((i) => summaryOf(publicFields<ImportRecord & { blobKey: string }>(i))), nextCursor: page.nextCursor };
    },

    /** Puts a failed import back in the queue with a fresh set of attempts; the caller starts the run. */
    async resume(importId: string, now: string): Promise<ImportRecord> {
      const r = await load(importId);
      if (!canResume(r)) throw new AppError('import.not_failed', 409, 'Only a failed import can be resumed.');
      await commitChange({
        writes: [
          {
            kind: 'update',
            key: k.importRecord(importId),
            set: { status: 'queued', attempts: 0 },
            unset: ['error', 'errorCode', 'lastError', 'finishedAt'],
            version: r.version,
          },
          runs.activeWrite(importRef(importId), now),
        ],
        audit: [auditEntry(k.audit, { actor: principal.username, action: 'import.resume', target: importId, at: now })],
      });
      const { error: _e, errorCode: _c, lastError: _l, finishedAt: _f, ...rest } = r;
      return view({ ...rest, status: 'queued', attempts: 0, version: r.version + 1 });
    },

    /**
     * Gives up a failed or stalled import. Rows already written stay in the book (and in its progress);
     * a run that is making progress cannot be abandoned under its feet.
     */
    async abandon(importId: string, now: string): Promise<ImportRecord> {
      const r = await load(importId);
      if (!canAbandon(r, Date.parse(now)))
        throw new AppError(
          r.status === 'queued' || r.status === 'running' ? 'import.running' : 'import.not_abandonable',
          409,
          r.status === 'queued' || r.status === 'running'
            ? 'This import is running; it can be abandoned only if it stops.'
            : 'This import cannot be abandoned.',
        );
      const set = { status: 'abandoned' as const, finishedAt: now, leaseUntil: new Date(0).toISOString() };
      await commitChange({
        writes: [{ kind: 'update', key: k.importRecord(importId), set, version: r.version }, runs.inactiveWrite(importRef(importId))],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'import.abandon',
            target: importId,
            at: now,
            details: { progress: r.progress ?? null },
          }),
        ],
      });
      return view({ ...r, ...set, version: r.version + 1 });
    },

    /** The rejected rows as a file in the upload's own columns, with a reason column. */
    async errorFile(importId: string, format: 'csv' | 'xlsx') {
      const r = await load(importId);
      const p = await plan(await blobStore().get(r.blobKey), r.options);
      const rejected = [...p.book.rejected, ...p.extraRejected].sort((a, b) => a.row - b.row);
      // writeErrorFile marks the title as the error rows itself (once, even for an error file re-imported).
      const bytes = writeErrorFile({ headers: p.book.headers, rejected, ...(p.book.title ? { title: p.book.title } : {}) }, format);
      return { fileName: `${r.fileName.replace(/\.[^.]+$/, '')}-errors.${format}`, contentBase64: Buffer.from(bytes).toString('base64') };
    },

    /**
     * Carries out a queued import as a job run. It takes the run's lease first (when someone else holds
     * it, this call does nothing), then creates missing courtyards and households, then people in
     * batched transactions, at most GRIDLINE_IMPORT_WCU_PER_SECOND write units a second, renewing the
     * lease with its progress. An attempt after a crash plans the file again: what earlier attempts wrote
     * is found in the book (and counted as theirs, since every attempt writes with the first one's
     * time), so it carries on where they stopped and the counts come out exact.
     */
    async run(importId: string, at: string, opts: RunOptions = {}): Promise<ImportRecord> {
      const policy = opts.policy ?? leasePolicy();
      const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
      const ref = importRef(importId);
      const got = await runs.acquire(ref, opts.owner ?? `run-${newId().toLowerCase()}`, Date.now(), policy);
      if (!('lease' in got)) {
        if (got.decision === 'exhausted' && got.record) await giveUp(importId, got.record, at);
        return view(await load(importId));
      }
      const lease = got.lease;
      const r = publicFields<ImportRecord & { blobKey: string }>(got.record);
      // Every attempt writes with the first attempt's time, so a later one recognises what earlier ones wrote.
      const now = r.startedAt ?? at;
      const progress: ImportProgress = { total: 0, done: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
      let lastBeat = Date.now();
      // Renews the lease (with the progress so far) well before it could expire, and on every tenth batch for the page.
      const beat = async (force: boolean) => {
        if (!force && Date.now() - lastBeat < policy.leaseMs / 3) return;
        await runs.heartbeat(lease, Date.now(), policy, { progress });
        lastBeat = Date.now();
      };
      try {
        const bytes = await blobStore().get(r.blobKey);
        let p = await plan(bytes, r.options);
        if (r.options?.createOrg && (p.org.communities.length > 0 || p.org.grids.length > 0)) {
          // The communities and grids the preview listed for creation, made first, each as the org chart
          // makes them (audited, counted); the plan is then made again against the chart as it now is. An
          // attempt after a crash finds those already made and plans against them.
          const chart = orgOf(townId);
          const made = new Map<string, string>();
          for (const name of p.org.communities) {
            const c = await chart.createCommunity({ name, kind: /村$/.test(name) ? 'village' : 'community' }, r.by, now);
            made.set(orgKey(name, 'community'), (c as unknown as { communityId: string }).communityId);
          }
          const chartNow = await org();
          for (const g of p.org.grids) {
            const cKey = orgKey(g.community, 'community');
            const communityId = made.get(cKey) ?? chartNow.communityByKey.get(cKey)?.id;
            if (communityId) await chart.createGrid({ communityId, name: g.grid, code: '' }, r.by, now);
          }
          p = await plan(bytes, r.options);
        }
        progress.total = p.planned.length;
        await runs.heartbeat(lease, Date.now(), policy, { progress, startedAt: now });
        lastBeat = Date.now();
        const started = Date.now();
        let written = 0;
        const pace = async (units: number) => {
          written += units;
          const ahead = (written / importWriteRate()) * 1000 - (Date.now() - started);
          if (ahead > 0) await sleep(ahead);
        };
        const vault = await townVault(townId);
        const o = await org();
        // Courtyards the file names that the grid does not have yet.
        const courtyardIds = new Map(o.courtyards);
        const yardChanges: Change[] = [];
        for (const [key, y] of p.newCourtyards) {
          const courtyardId = `y-${newId(Date.parse(now)).toLowerCase()}`;
          courtyardIds.set(key, courtyardId);
          yardChanges.push({
            writes: [
              { kind: 'check', key: k.grid(y.gridId), code: 'grid.not_found', message: 'The grid is gone.' },
              {
                kind: 'create',
                item: {
                  ...k.courtyard(courtyardId),
                  type: 'Courtyard',
                  courtyardId,
                  gridId: y.gridId,
                  name: y.name,
                  status: 'active',
                  createdAt: now,
                },
              },
            ],
            audit: [auditEntry(k.audit, { actor: r.by, action: 'courtyard.create', target: courtyardId, at: now, details: { importId } })],
            counters: [{ key: k.counters('TOWN'), deltas: { courtyards: 1 } }],
          });
        }
        for (let i = 0; i < yardChanges.length; i += 20) {
          await commitInChunks(yardChanges.slice(i, i + 20));
          await beat(false);
        }
        // Households by their number.
        const households = new Map(p.existingHouseholds);
        const homeChanges: Change[] = [];
        for (const [code, h] of p.newHouseholds) {
          const householdId = `h-${newId(Date.parse(now)).toLowerCase()}`;
          households.set(code, { gridId: h.gridId, householdId });
          const courtyardId = h.courtyardKey ? courtyardIds.get(h.courtyardKey) : undefined;
          const stored: StoredHousehold = {
            householdId,
            gridId: h.gridId,
            communityId: h.communityId,
            ...(courtyardId ? { courtyardId } : {}),
            code,
            door: h.door,
            members: 0,
            status: 'active',
            version: 1,
            createdAt: now,
          };
          homeChanges.push(book.changes.newHouseholdChange(stored));
        }
        for (let i = 0; i < homeChanges.length; i += 12) {
          const part = homeChanges.slice(i, i + 12);
          await commitInChunks(part);
          await pace(part.length * 14);
          await beat(false);
        }
        // People, a few per transaction; a batch that fails is retried one by one so one bad row cannot sink the rest.
        const todo = p.planned.filter((x) => x.action !== 'unchanged');
        // Rows an earlier attempt of this import wrote now match the book; they count as that attempt's work.
        const earlier = p.planned.filter((x) => x.action === 'unchanged' && x.existing?.updatedAt === now);
        progress.created = earlier.filter((x) => x.existing?.createdAt === now).length;
        progress.updated = earlier.length - progress.created;
        progress.unchanged = p.planned.length - todo.length - earlier.length;
        progress.done = p.planned.length - todo.length;
        const BATCH = 8;
        for (let i = 0; i < todo.length; i += BATCH) {
          const part = todo.slice(i, i + BATCH);
          const changes = part.map((x) => personChange(x, households, courtyardIds, vault, now, r.by));
          try {
            await commitInChunks(changes);
          } catch {
            for (const [n, c] of changes.entries()) {
              try {
                await commitChange(c);
              } catch {
                progress.failed += 1;
                part[n] = { ...(part[n] as Planned), action: 'unchanged' };
              }
            }
          }
          for (const x of part)
            if (x.action === 'create') progress.created += 1;
            else if (x.action === 'update') progress.updated += 1;
          progress.done += part.length;
          await pace(changes.reduce((n, c) => n + 2 * (c.writes.length + c.audit.length + (c.counters?.length ?? 0)), 0));
          await beat((i / BATCH) % 10 === 9);
        }
        const finishedAt = new Date().toISOString();
        await runs.finish(lease, 'done', { progress, finishedAt }, [
          auditEntry(k.audit, {
            actor: r.by,
            action: 'import.done',
            target: importId,
            at: finishedAt,
            details: { progress, attempts: lease.attempts },
          }),
        ]);
      } catch (e) {
        // Another runner took over (this one was too slow to renew) or a person abandoned it: it carries on, not us.
        if (e instanceof LeaseLost) return view(await load(importId));
        // The reason is kept for the import page; AppError messages are safe to show, others are summarised.
        const reason = e instanceof AppError ? e.message : 'The import stopped unexpectedly.';
        try {
          if (lease.attempts >= policy.maxAttempts)
            await runs.finish(
              lease,
              'failed',
              { progress, error: reason, errorCode: 'import.failed', finishedAt: new Date().toISOString() },
              [
                auditEntry(k.audit, {
                  actor: r.by,
                  action: 'import.fail',
                  target: importId,
                  at: new Date().toISOString(),
                  details: { progress, reason },
                }),
              ],
            );
          else await runs.release(lease, Date.now(), { progress, lastError: reason });
        } catch (inner) {
          if (!(inner instanceof LeaseLost)) throw inner;
        }
        throw e;
      }
      return view(await load(importId));
    },

    /** The book (or one grid of it) in the import's own columns, IDs and phones in full: audited. */
    async exportBook(format: 'csv' | 'xlsx', gridId: string | undefined, now: string) {
      const o = await queryAll<Item>(k.orgPk);
      const names = (type: string, id: string) => new Map(o.filter((i) => i.type === type).map((i) => [String(i[id]), String(i.name)]));
      const communityName = names('Community', 'communityId');
      const courtyardName = names('Courtyard', 'courtyardId');
      const grids = o.filter((i) => i.type === 'Grid' && (!gridId || i.gridId === gridId));
      if (gridId && grids.length === 0) throw new AppError('grid.not_found', 404, 'No such grid in this town.');
      const vault = await townVault(townId);
      const records: PersonRecord[] = [];
      for (const g of grids) {
        const homes = new Map((await queryAll<Item>(k.householdsPk(String(g.gridId)))).map((h) => [String(h.householdId), h]));
        for (const item of await queryAll<Item>(k.peoplePk(String(g.gridId)))) {
          const p = publicFields<StoredPerson>(item);
          if (p.status !== 'active') continue;
          const home = homes.get(p.householdId);
          records.push({
            householdNo: String(home?.code ?? p.householdId),
            name: p.name,
            gender: p.gender,
            ...(p.ethnicity ? { ethnicity: p.ethnicity } : {}),
            birthDate: p.birthDate,
            idNumber: vault.decrypt('idNumber', p.idEnc),
            ...(p.phoneEnc ? { phone: vault.decrypt('phone', p.phoneEnc) } : {}),
            community: communityName.get(p.communityId) ?? p.communityId,
            grid: String(g.name),
            ...(p.courtyardId ? { courtyard: courtyardName.get(p.courtyardId) ?? p.courtyardId } : {}),
            ...(home?.door && home.door !== '—' ? { door: String(home.door) } : {}),
            relation: p.relation,
            residenceType: p.residenceType,
            tags: p.tags,
            keyTags: keyGroups ? p.keyTags : [],
            ...(p.floating?.arrivalDate ? { arrivalDate: p.floating.arrivalDate } : {}),
            ...(p.note ? { note: p.note } : {}),
          });
        }
      }
      const tags = await tagLists();
      const title = `${(await getItem<{ name: string }>(k.meta()))?.name ?? ''}人口信息台账`;
      const bytes = format === 'csv' ? writeBookCsv(records, { title, tags }) : writeBookXlsx(records, { title, tags });
      await commitChange({
        writes: [],
        audit: [
          auditEntry(k.audit, {
            actor: principal.username,
            action: 'book.export',
            target: gridId ?? 'town',
            at: now,
            details: { format, people: records.length },
          }),
        ],
      });
      return {
        fileName: `population-book${gridId ? `-${gridId}` : ''}.${format}`,
        contentBase64: Buffer.from(bytes).toString('base64'),
        people: records.length,
      };
    },
  };

  function personChange(
    x: Planned,
    households: Map<string, { gridId: string; householdId: string }>,
    courtyardIds: Map<string, string>,
    vault: Awaited<ReturnType<typeof townVault>>,
    now: string,
    actor: string,
  ): Change {
    const r = x.record;
    const home = households.get(r.householdNo) as { householdId: string };
    const courtyardId = x.courtyardKey ? courtyardIds.get(x.courtyardKey) : undefined;
    const fields = {
      name: r.name,
      gender: r.gender,
      ...(r.ethnicity ? { ethnicity: r.ethnicity } : {}),
      birthDate: r.birthDate,
      ...(r.phone ? { phoneMasked: maskPhone(r.phone), phoneEnc: vault.encrypt('phone', r.phone) } : {}),
      relation: r.relation ?? '—',
      residenceType: r.residenceType,
      tags: r.tags,
      keyTags: r.keyTags,
      ...(r.arrivalDate ? { floating: { ...(x.existing?.floating ?? {}), arrivalDate: r.arrivalDate } } : {}),
      ...(r.note ? { note: r.note } : {}),
    };
    if (x.action === 'update' && x.existing) {
      const before = x.existing;
      const after: StoredPerson = { ...before, ...fields, version: before.version + 1, updatedAt: now };
      if (!r.phone) {
        delete after.phoneEnc;
        delete after.phoneMasked;
      }
      const c = book.changes.replaceChange(before, after, now, { importedBy: actor });
      return c;
    }
    const p: StoredPerson = {
      personId: `p-${newId(Date.parse(now)).toLowerCase()}`,
      householdId: home.householdId,
      gridId: x.gridId,
      communityId: x.communityId,
      ...(courtyardId ? { courtyardId } : {}),
      ...fields,
      idMasked: maskIdNumber(r.idNumber),
      idEnc: vault.encrypt('idNumber', r.idNumber),
      idHash: x.idHash,
      status: 'active',
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return book.changes.newPersonChange(p, now);
  }
}

/** Whether a book row says nothing new about a stored person (the ID already matched). */
function sameAsStored(r: PersonRecord, p: StoredPerson, decrypt: (field: string, sealed: string) => string): boolean {
  const phone = p.phoneEnc ? decrypt('phone', p.phoneEnc) : undefined;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (
    same(r.name, p.name) &&
    same(r.gender, p.gender) &&
    same(r.ethnicity, p.ethnicity) &&
    same(r.phone, phone) &&
    same(r.relation ?? '—', p.relation) &&
    same(r.residenceType, p.residenceType) &&
    same([...r.tags].sort(), [...p.tags].sort()) &&
    same([...r.keyTags].sort(), [...(p.keyTags ?? [])].sort()) &&
    same(r.arrivalDate, p.floating?.arrivalDate) &&
    same(r.note, p.note)
  );
}
