import {
  type BookField,
  type BookImport,
  type BookIssue,
  defaultTagLists,
  locateBook,
  type PersonRecord,
  readTable,
  type TagLists,
  type UserMapping,
  validateBook,
} from '@gridline/book';
import type { ImportIssue, ImportStats, OrgPlan, PreviewOptions } from '@gridline/domain';
import type { StoredPerson } from '../book';
import { batchGetAll, getItem, type Item, publicFields, queryAll } from '../ops';
import { townVault } from '../vault';
import type { ImportContext } from './context';
import { headersKeyOf, issueOf, msg, nearMiss, type Org, orgKey, type Plan, type Planned, sameAsStored } from './match';

const MAX_ISSUES_KEPT = 200;

/**
 * Planning an import (what the preview shows, and what the run and the error file plan again): reads
 * the file, validates it, and matches it against the town — who is new, who changed, who is the same.
 */
export function importPlanner({ townId, k, keyGroups }: ImportContext) {
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

  return { tagLists, org, plan, statsOf, issuesOf };
}
export type ImportPlanner = ReturnType<typeof importPlanner>;
