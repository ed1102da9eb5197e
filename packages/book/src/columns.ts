import type { Message } from './text';

/** The fields of a book row, in the order of the canonical column layout. */
export const BOOK_FIELDS = [
  'seq',
  'householdNo',
  'name',
  'gender',
  'ethnicity',
  'birthDate',
  'idNumber',
  'phone',
  'community',
  'grid',
  'courtyard',
  'door',
  'relation',
  'residenceType',
  'tags',
  'arrivalDate',
  'note',
] as const;
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
