import { readFileSync } from 'node:fs';
import { joinCsv, utf8WithBom } from '../csv';

/** Bytes of a file in packages/book/fixtures (copies of the shared sample book). */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
}

/** The sample book split into its title, header and data rows, to damage or rename in tests. */
export function sampleTable(): { title: string; header: string[]; rows: string[][] } {
  const text = new TextDecoder('utf-8').decode(fixture('book-utf8.csv')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r\n/).filter((l) => l !== '');
  const [title = '', header = '', ...rest] = lines;
  return { title, header: header.split(','), rows: rest.map((l) => l.split(',')) };
}

/** A UTF-8 CSV book (with BOM) from a title, a header and rows. */
export function csvBook(title: string, header: readonly string[], rows: readonly (readonly string[])[]): Uint8Array {
  return utf8WithBom(joinCsv([[title], header, ...rows]));
}
