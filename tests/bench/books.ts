import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Population books for the import benchmarks, made from the shared sample (400 people in 131
 * households, laid out on the org chart of `qingshi`). A generated book repeats the sample as often as
 * asked; each repetition ("series") gets household numbers and national ID numbers of its own, so
 * every row is a new person in a new household, at the sample's communities, grids and courtyards.
 */
export const SAMPLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/book/fixtures');
export const sampleFile = (name: string) => new Uint8Array(readFileSync(join(SAMPLE_DIR, name)));

/** GB 11643 (ISO 7064 MOD 11-2): weights of the first 17 digits and the check character per remainder. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
export function withCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`not 17 digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return first17 + CHECK[sum % 11];
}

type Sample = { title: string; header: string[]; rows: string[][] };
let sample: Sample | undefined;

/** The UTF-8 sample as rows of cells (it has no quoted cells; checked). */
function loadSample(): Sample {
  if (sample) return sample;
  const text = new TextDecoder('utf-8').decode(sampleFile('book-utf8.csv')).replace(/^\uFEFF/, '');
  if (text.includes('"')) throw new Error('book-utf8.csv has quoted cells; the generator splits on commas only');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const [title, head, ...data] = lines;
  if (!title || !head) throw new Error('book-utf8.csv has no title and header rows');
  const header = head.split(',');
  const rows = data.map((l) => l.split(','));
  for (const r of rows) if (r.length !== header.length) throw new Error(`a sample row has ${r.length} cells, not ${header.length}`);
  sample = { title, header, rows };
  return sample;
}

function column(header: string[], name: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`the sample has no ${name} column`);
  return i;
}

export type GeneratedBook = {
  fileName: string;
  bytes: Uint8Array;
  rows: number;
  households: number;
  /** Data rows (1-based, as the importer numbers them) damaged on purpose, with the damage. */
  damaged: Array<{ row: number; what: string }>;
};

/**
 * `series` repetitions of the sample, numbered from `firstSeries`, as a UTF-8 CSV with a BOM (title row,
 * header row, data rows: the sample's own layout). Per row, only what must change changes:
 * - 户编号: `S<series>-<sample number>`, so each series has its own 131 households;
 * - 公民身份号码: the sample person's region code and birth date (so 出生日期 still matches), a new
 *   sequence number whose parity is the person's gender (odd for 男), and the GB 11643 check character.
 *   Sequence numbers are handed out so that no two rows, and no row and the sample, share an ID;
 * - 序号: counts on.
 * `damage` breaks four rows of the first series the way users do (check digit, phone, unknown grid,
 * missing name), for the error file; none of them is the first row or the head of its household, so
 * the other rows of those households stay importable.
 */
export function generateBook(o: { series: number; firstSeries: number; damage?: boolean; fileName?: string }): GeneratedBook {
  const s = loadSample();
  const col = {
    no: column(s.header, '序号'),
    household: column(s.header, '户编号'),
    name: column(s.header, '姓名'),
    gender: column(s.header, '性别'),
    birth: column(s.header, '出生日期'),
    id: column(s.header, '公民身份号码'),
    phone: column(s.header, '联系电话'),
    grid: column(s.header, '所属网格'),
  };
  // Every ID body (17 digits) in use: the sample's, then each one handed out.
  const taken = new Set(s.rows.map((r) => (r[col.id] as string).slice(0, 17)));
  const out: string[][] = [];
  const households = new Set<string>();
  let n = 0;
  for (let series = o.firstSeries; series < o.firstSeries + o.series; series++) {
    for (const [i, source] of s.rows.entries()) {
      const row = [...source];
      const id = source[col.id] as string;
      const birth = (source[col.birth] as string).replace(/-/g, '');
      if (id.slice(6, 14) !== birth) throw new Error(`sample row ${i + 1}: the ID's birth date is not 出生日期`);
      const male = source[col.gender] === '男';
      // Sequence numbers 000-999: odd for men, even for women; start somewhere that depends on series and row.
      let slot = (series * 131 + i * 17) % 500;
      let body = '';
      for (let tries = 0; tries < 500; tries++, slot = (slot + 1) % 500) {
        body = `${id.slice(0, 6)}${birth}${String(2 * slot + (male ? 1 : 0)).padStart(3, '0')}`;
        if (!taken.has(body)) break;
      }
      if (taken.has(body)) throw new Error(`no free ID sequence number left for ${id.slice(0, 14)}`);
      taken.add(body);
      row[col.id] = withCheckDigit(body);
      row[col.household] = `S${series}-${(source[col.household] as string).replace(/^\D+/, '')}`;
      households.add(row[col.household] as string);
      row[col.no] = String(++n);
      out.push(row);
    }
  }
  const damaged: GeneratedBook['damaged'] = [];
  if (o.damage) {
    const hurt = (index: number, what: string, f: (r: string[]) => void) => {
      f(out[index] as string[]);
      damaged.push({ row: index + 1, what });
    };
    hurt(1, 'wrong check character', (r) => {
      const id = r[col.id] as string;
      r[col.id] = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    });
    hurt(3, 'phone number too short', (r) => {
      r[col.phone] = '12345';
    });
    hurt(6, 'no such grid in the town', (r) => {
      r[col.grid] = '滨江网格';
    });
    hurt(7, 'name missing', (r) => {
      r[col.name] = '';
    });
  }
  const text = `\uFEFF${[s.title, s.header.join(','), ...out.map((r) => r.join(','))].join('\r\n')}\r\n`;
  return {
    fileName: o.fileName ?? `book-${out.length}.csv`,
    bytes: new TextEncoder().encode(text),
    rows: out.length,
    households: households.size,
    damaged,
  };
}
