import { type PersonRecord, writeBookCsv, writeBookXlsx, writeErrorFile } from '@gridline/book';
import { AppError } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { StoredPerson } from '../book';
import { blobStore } from '../blobs';
import { commitChange, getItem, type Item, publicFields, queryAll } from '../ops';
import { townVault } from '../vault';
import type { ImportContext } from './context';
import type { ImportPlanner } from './preview';
import type { ImportRecords } from './records';

/** The files imports give back: the rows a file had refused, and the book written out in the import's own columns. */
export function importFiles({ principal, townId, k, keyGroups }: ImportContext, planner: ImportPlanner, records: ImportRecords) {
  const { tagLists, plan } = planner;
  const { load } = records;
  return {
    /** The rejected rows as a file in the upload's own columns, with a reason column. */
    async errorFile(importId: string, format: 'csv' | 'xlsx') {
      const r = await load(importId);
      const p = await plan(await blobStore().get(r.blobKey), r.options);
      const rejected = [...p.book.rejected, ...p.extraRejected].sort((a, b) => a.row - b.row);
      // writeErrorFile marks the title as the error rows itself (once, even for an error file re-imported).
      const bytes = writeErrorFile({ headers: p.book.headers, rejected, ...(p.book.title ? { title: p.book.title } : {}) }, format);
      return { fileName: `${r.fileName.replace(/\.[^.]+$/, '')}-errors.${format}`, contentBase64: Buffer.from(bytes).toString('base64') };
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
        const homes = new Map((await queryAll<Item>(k.householdsPk(String(g.gridId)), 'H#')).map((h) => [String(h.householdId), h]));
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
}
