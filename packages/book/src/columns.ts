import { BOOK_FIELDS as DOMAIN_BOOK_FIELDS } from '@gridline/domain';
import type { Message } from './text';

/** The fields of a book row, in the order of the canonical column layout (defined with the domain's rules). */
export const BOOK_FIELDS = DOMAIN_BOOK_FIELDS;
export type BookField = (typeof BOOK_FIELDS)[number];

export type BookColumn = {
  field: BookField;
  /** The header the sample book and every export use. */
  header: string;
  en: string;
  /** A file without this column cannot be imported at all. */
  required: boolean;
  /** Other headers towns use for the same thing (compared after `normaliseHeader`). */
  aliases: readonly string[];
};

/**
 * The canonical layout of the population book (人口信息台账), as in the shared sample. Gender and
 * birth date are optional columns because the ID number carries both; when present they are
 * cross-checked against it.
 */
export const BOOK_COLUMNS: readonly BookColumn[] = [
  { field: 'seq', header: '序号', en: 'No.', required: false, aliases: ['序', 'no', 'no.'] },
  { field: 'householdNo', header: '户编号', en: 'Household no.', required: true, aliases: ['户号', '户编码', '户代码', '家庭编号'] },
  { field: 'name', header: '姓名', en: 'Name', required: true, aliases: ['名字', '居民姓名', '人员姓名'] },
  { field: 'gender', header: '性别', en: 'Gender', required: false, aliases: ['性別'] },
  { field: 'ethnicity', header: '民族', en: 'Ethnicity', required: false, aliases: [] },
  { field: 'birthDate', header: '出生日期', en: 'Birth date', required: false, aliases: ['出生年月日', '出生年月', '生日'] },
  {
    field: 'idNumber',
    header: '公民身份号码',
    en: 'ID number',
    required: true,
    aliases: [
      '身份证号',
      '身份证号码',
      '身份证',
      '居民身份证号',
      '居民身份证号码',
      '公民身份证号',
      '公民身份证号码',
      '身份证件号码',
      '证件号码',
      'idnumber',
    ],
  },
  {
    field: 'phone',
    header: '联系电话',
    en: 'Phone',
    required: false,
    aliases: ['手机号码', '手机号', '手机', '电话', '电话号码', '联系方式', '联系电话号码'],
  },
  {
    field: 'community',
    header: '所属社区',
    en: 'Community',
    required: true,
    aliases: ['社区', '社区(村)', '村(社区)', '所属社区(村)', '所属村(社区)', '所属村', '村居', '社区名称'],
  },
  { field: 'grid', header: '所属网格', en: 'Grid', required: true, aliases: ['网格', '网格名称', '所在网格'] },
  {
    field: 'courtyard',
    header: '院落楼栋',
    en: 'Courtyard / building',
    required: false,
    aliases: ['楼栋', '院落', '院落/楼栋', '楼栋号', '楼幢', '小区楼栋', '院落(楼栋)'],
  },
  {
    field: 'door',
    header: '门牌号',
    en: 'Unit / room',
    required: false,
    aliases: ['住址', '地址', '门牌', '现住址', '居住地址', '房号', '单元房号'],
  },
  { field: 'relation', header: '与户主关系', en: 'Relation to head', required: false, aliases: ['与户主的关系', '关系', '家庭关系'] },
  {
    field: 'residenceType',
    header: '人口类型',
    en: 'Residence type',
    required: true,
    aliases: ['人员类型', '人口类别', '居住类型', '人口性质'],
  },
  {
    field: 'tags',
    header: '特殊人群类别',
    en: 'Special groups',
    required: false,
    aliases: ['特殊人群', '特殊人群类型', '人群类别', '特殊群体', '重点人群类别'],
  },
  {
    field: 'arrivalDate',
    header: '流入时间',
    en: 'Arrival date',
    required: false,
    aliases: ['流入日期', '来本地时间', '来本地日期', '来本地居住时间', '到达日期'],
  },
  { field: 'note', header: '备注', en: 'Note', required: false, aliases: ['说明', '备注说明'] },
];

const BY_FIELD = new Map(BOOK_COLUMNS.map((c) => [c.field, c]));

/** The column definition of a field. */
export function bookColumn(field: BookField): BookColumn {
  const column = BY_FIELD.get(field);
  if (!column) throw new RangeError(`unknown book field ${field}`);
  return column;
}

/**
 * A header cell reduced to what it means: NFKC (full-width brackets and letters to half-width),
 * no whitespace, no asterisks or other required-column marks, no trailing colon, lower case.
 */
export function normaliseHeader(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\uFEFF]+/g, '')
    .replace(/[*※★☆]/g, '')
    .replace(/[:：]$/, '')
    .replace(/[【[]/g, '(')
    .replace(/[】\]]/g, ')')
    .toLowerCase();
}

const LOOKUP = new Map<string, BookField>();
for (const column of BOOK_COLUMNS) {
  LOOKUP.set(normaliseHeader(column.header), column.field);
  LOOKUP.set(normaliseHeader(column.field), column.field);
  for (const alias of column.aliases) LOOKUP.set(normaliseHeader(alias), column.field);
}

/**
 * The field a header cell names, or null. Exact match after normalisation first; then again with
 * any bracketed hint removed (`出生日期(格式:2000-01-01)`, `姓名(必填)`).
 */
export function fieldForHeader(raw: string): BookField | null {
  const key = normaliseHeader(raw);
  if (key === '') return null;
  const exact = LOOKUP.get(key);
  if (exact) return exact;
  const bare = key.replace(/\([^)]*\)/g, '');
  return (bare !== key && LOOKUP.get(bare)) || null;
}

export type HeaderIssue = { code: 'header.unknown_column' | 'header.duplicate_column'; column: number; header: string; message: Message };

export type HeaderMap = {
  /** For each field found, the zero-based column index that holds it (the first such column). */
  fields: Partial<Record<BookField, number>>;
  /** Required fields no column names. */
  missing: BookField[];
  issues: HeaderIssue[];
};

/** Maps a header row to fields by meaning; unknown and repeated columns are reported, not fatal. */
export function mapHeaders(cells: readonly string[]): HeaderMap {
  const fields: Partial<Record<BookField, number>> = {};
  const issues: HeaderIssue[] = [];
  cells.forEach((cell, column) => {
    const header = cell.trim();
    if (header === '') return;
    const field = fieldForHeader(header);
    if (field === null) {
      issues.push({
        code: 'header.unknown_column',
        column,
        header,
        message: { zh: `未识别的列“${header}”，已忽略`, en: `Unrecognised column "${header}" was ignored` },
      });
    } else if (fields[field] !== undefined) {
      const first = bookColumn(field).header;
      issues.push({
        code: 'header.duplicate_column',
        column,
        header,
        message: {
          zh: `列“${header}”与前面的列同为“${first}”，已忽略`,
          en: `Column "${header}" means the same as an earlier column (${bookColumn(field).en}) and was ignored`,
        },
      });
    } else {
      fields[field] = column;
    }
  });
  const missing = BOOK_COLUMNS.filter((c) => c.required && fields[c.field] === undefined).map((c) => c.field);
  return { fields, missing, issues };
}

/** How many cells of a row name a known field: the header row is the row that scores highest. */
export function headerScore(cells: readonly string[]): number {
  const seen = new Set<BookField>();
  for (const cell of cells) {
    const field = fieldForHeader(cell);
    if (field) seen.add(field);
  }
  return seen.size;
}

// ------------------------------------------------------------------------------- mapping by content

/** How a column came to mean a field: its header is the canonical one, an alias, its values, or the user said so. */
export type MappingSource = 'name' | 'alias' | 'content' | 'user';

/** One column of the header row and what the import makes of it (`field` null: ignored). */
export type ColumnMapping = {
  column: number;
  header: string;
  field: BookField | null;
  how: MappingSource | null;
  /** For a mapping decided by content: what the values showed. */
  evidence?: Message;
};

/** A user's choice per header text (as written in the file): a field, or null to ignore the column. */
export type UserMapping = Readonly<Record<string, BookField | null>>;

const RESIDENCE_WORDS = /^(户籍|常住|流动|流入|外来|暂住|寄住)(人口)?$|^(非户籍常住|常住非户籍)人口$|^本地户籍$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function looksLikeId(v: string): boolean {
  const s = v.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * (ID_WEIGHTS[i] as number);
  return '10X98765432'[sum % 11] === s[17];
}

/** Tests of a cell's value, one per field that content can reveal, with how each is described. */
const DETECTORS: ReadonlyArray<{ field: BookField; test: (v: string) => boolean; zh: string; en: string }> = [
  { field: 'idNumber', test: looksLikeId, zh: '18位且校验码正确的公民身份号码', en: '18-character ID numbers with a valid check digit' },
  {
    field: 'residenceType',
    test: (v) => RESIDENCE_WORDS.test(v.normalize('NFKC').replace(/\s+/g, '')),
    zh: '户籍人口/常住人口/流动人口',
    en: '户籍人口/常住人口/流动人口 (residence types)',
  },
  { field: 'gender', test: (v) => /^(男|女)(性)?$/.test(v.trim()), zh: '“男”或“女”', en: '男/女 (gender)' },
  {
    field: 'phone',
    test: (v) => /^1[3-9]\d{9}$/.test(v.normalize('NFKC').replace(/[\s-]+/g, '')),
    zh: '11位手机号码',
    en: '11-digit mobile numbers',
  },
  {
    field: 'birthDate',
    test: (v) => /^(19|20)\d{2}([-/.年])\d{1,2}([-/.月])\d{1,2}日?$|^(19|20)\d{6}$/.test(v.normalize('NFKC').trim()),
    zh: '日期',
    en: 'dates',
  },
];

/** Share of the non-blank values a detector must accept before the column is proposed for its field. */
const CONTENT_SHARE = 0.8;

/**
 * What a column's values say it holds: the field whose test most of its non-blank values pass (at
 * least 80%, and at least three values), with the evidence in both languages; null when nothing fits.
 */
export function fieldByContent(values: readonly string[]): { field: BookField; share: number; evidence: Message } | null {
  const filled = values.map((v) => v.trim()).filter((v) => v !== '');
  if (filled.length < 3) return null;
  let best: { field: BookField; share: number; evidence: Message } | null = null;
  for (const d of DETECTORS) {
    const share = filled.filter(d.test).length / filled.length;
    if (share >= CONTENT_SHARE && (!best || share > best.share)) {
      const pct = Math.round(share * 100);
      best = {
        field: d.field,
        share,
        evidence: { zh: `${filled.length} 个值中 ${pct}% 是${d.zh}`, en: `${pct}% of ${filled.length} values are ${d.en}` },
      };
    }
  }
  return best;
}

/**
 * Decides what every column of a header row means: by header (canonical name, then alias), then by a
 * user's choice (which overrides both), then, for fields still unmapped, by the values of the columns
 * still unmapped (`sample` holds data rows below the header). A date column is proposed as the
 * birth date only; an arrival date stays a header's or the user's call.
 */
export function resolveColumns(
  headers: readonly string[],
  sample: readonly (readonly string[])[],
  user: UserMapping = {},
): HeaderMap & {
  columns: ColumnMapping[];
} {
  const userByKey = new Map(Object.entries(user).map(([h, f]) => [normaliseHeader(h), f]));
  const columns: ColumnMapping[] = headers.map((raw, column) => ({ column, header: raw.trim(), field: null, how: null }));
  const fields: Partial<Record<BookField, number>> = {};
  const issues: HeaderIssue[] = [];
  const take = (c: ColumnMapping, field: BookField, how: MappingSource, evidence?: Message) => {
    c.field = field;
    c.how = how;
    if (evidence) c.evidence = evidence;
    fields[field] = c.column;
  };
  // The user's word first: it settles those columns and the fields they name.
  for (const c of columns) {
    const key = normaliseHeader(c.header);
    if (key === '' || !userByKey.has(key)) continue;
    const field = userByKey.get(key) ?? null;
    if (field === null) c.how = 'user';
    else if (fields[field] === undefined) take(c, field, 'user');
  }
  for (const c of columns) {
    if (c.header === '' || c.how !== null) continue;
    const field = fieldForHeader(c.header);
    if (field === null) continue;
    if (fields[field] !== undefined) {
      issues.push({
        code: 'header.duplicate_column',
        column: c.column,
        header: c.header,
        message: {
          zh: `列“${c.header}”与前面的列同为“${bookColumn(field).header}”，已忽略`,
          en: `Column "${c.header}" means the same as an earlier column (${bookColumn(field).en}) and was ignored`,
        },
      });
      continue;
    }
    const canonical =
      normaliseHeader(c.header) === normaliseHeader(bookColumn(field).header) || normaliseHeader(c.header) === field.toLowerCase();
    take(c, field, canonical ? 'name' : 'alias');
  }
  // Content: only columns nobody has decided, only for fields still without a column.
  for (const c of columns) {
    if (c.how !== null || c.field !== null) continue;
    const guess = fieldByContent(sample.map((row) => row[c.column] ?? ''));
    if (guess && fields[guess.field] === undefined) take(c, guess.field, 'content', guess.evidence);
  }
  for (const c of columns) {
    if (c.field !== null || c.header === '' || c.how === 'user') continue;
    if (issues.some((i) => i.column === c.column)) continue;
    issues.push({
      code: 'header.unknown_column',
      column: c.column,
      header: c.header,
      message: { zh: `未识别的列“${c.header}”，已忽略`, en: `Unrecognised column "${c.header}" was ignored` },
    });
  }
  const missing = BOOK_COLUMNS.filter((c) => c.required && fields[c.field] === undefined).map((c) => c.field);
  return { fields, missing, issues, columns };
}
