import { joinCsv, utf8WithBom } from '../csv';
import { idCheckCharacter } from '../id-number';
import { writeXlsx } from '../xlsx';

/**
 * A town's book as none of the other tests have seen it: its own column names (two of them listed by
 * no alias: 身份证件号 and 人员类别, found by their values; and 门户编码, which only the user can
 * name), a title row and a note row above the header, a column the book does not know (籍贯), and
 * damaged rows of many kinds among valid and recoverable ones. The expected outcome of every row is
 * part of the result, so the tests compare against it instead of restating it.
 */
export type UnseenBook = {
  title: string;
  header: string[];
  rows: string[][];
  /** By data row number (from 1): the error code the row must be refused with. */
  bad: Map<number, string>;
  /** Communities and grids the book names, as written. */
  org: Array<{ community: string; grid: string }>;
  /** The mapping a user gives for the column no name or content can place. */
  userMapping: Record<string, 'householdNo'>;
};

const HEADER = [
  '序',
  '门户编码',
  '居民姓名',
  '性別',
  '身份证件号',
  '手机',
  '社区',
  '所在网格',
  '楼栋',
  '房号',
  '与户主的关系',
  '人员类别',
  '特殊人群',
  '来本地时间',
  '籍贯',
  '备注',
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';

/** A deterministic generator of `households` households (about 2.6 people each). */
export function unseenBook(households = 1100): UnseenBook {
  let seed = 20261204;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // The high bits: the low bits of this generator repeat with a short period.
    return Math.floor(seed / 65536) % n;
  };
  const pick = (from: string | readonly string[]) => from[rand(from.length)] as string;
  const org = [
    { community: '柳河社区', grid: '第一网格' },
    { community: '柳河社区', grid: '第二网格' },
    { community: '青石村', grid: '青石一网格' },
    { community: '桥东社区', grid: '桥东网格' },
  ];
  const rows: string[][] = [];
  let serial = 0;
  const person = (birthYear: number, female: boolean) => {
    serial++;
    const birth = `${birthYear}${String(1 + rand(12)).padStart(2, '0')}${String(1 + rand(28)).padStart(2, '0')}`;
    const seq = String((serial % 500) * 2 + (female ? 0 : 1)).padStart(3, '0');
    const first17 = `3305${String(Math.floor(serial / 500) % 100).padStart(2, '0')}${birth}${seq}`;
    return { id: first17 + idCheckCharacter(first17), birth, gender: female ? '女' : '男' };
  };
  for (let h = 1; h <= households; h++) {
    const place = org[h % org.length] as (typeof org)[number];
    const members = 1 + rand(4);
    const floating = rand(6) === 0;
    const door = `${1 + rand(6)}单元${100 * (1 + rand(18)) + 1 + rand(4)}室`;
    for (let m = 0; m < members; m++) {
      const female = m === 1 ? true : rand(2) === 0;
      const p = person(m < 2 ? 1950 + rand(40) : 1995 + rand(25), female);
      const tags = rand(15) === 0 ? pick(['空巢老人', '独居老人', '低保户', '特困人员']) : '';
      rows.push([
        String(rows.length + 1),
        `MH${String(h).padStart(5, '0')}`,
        pick(SURNAMES) + pick(GIVEN) + (rand(2) ? pick(GIVEN) : ''),
        p.gender,
        p.id,
        rand(3) === 0 ? `13${String(100000000 + rand(899999999))}` : '',
        place.community,
        place.grid,
        `${1 + (h % 9)}栋`,
        door,
        m === 0 ? '户主' : m === 1 ? '配偶' : '子女',
        floating ? '流动人口' : rand(5) === 0 ? '常住人口' : '户籍人口',
        tags,
        floating ? `20${10 + rand(15)}-0${1 + rand(9)}-1${rand(9)}` : '',
        ['浙江湖州', '四川成都', '安徽阜阳'][rand(3)] as string,
        '',
      ]);
    }
  }
  const col = (name: string) => HEADER.indexOf(name);
  const bad = new Map<number, string>();
  // A small book (fewer rows than the damage is placed at) simply has no damaged rows.
  const damage = (row: number, code: string, change: (cells: string[]) => void) => {
    if (rows.length < 221) return;
    change(rows[row - 1] as string[]);
    bad.set(row, code);
  };
  const recover = (row: number, change: (cells: string[]) => void) => {
    if (rows.length >= 221) change(rows[row - 1] as string[]);
  };
  // Damaged rows, spread through the file; each is refused for exactly the reason given.
  damage(11, 'id.check_digit', (c) => {
    const id = c[col('身份证件号')] as string;
    c[col('身份证件号')] = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  });
  damage(23, 'name.required', (c) => {
    c[col('居民姓名')] = '';
  });
  damage(37, 'name.invalid', (c) => {
    c[col('居民姓名')] = '=1+1';
  });
  damage(52, 'gender.mismatch', (c) => {
    c[col('性別')] = c[col('性別')] === '男' ? '女' : '男';
  });
  damage(68, 'phone.mobile', (c) => {
    c[col('手机')] = '1381234';
  });
  damage(81, 'residence_type.invalid', (c) => {
    c[col('人员类别')] = '其他';
  });
  damage(97, 'arrival_date.required', (c) => {
    c[col('人员类别')] = '流动人口';
    c[col('来本地时间')] = '';
  });
  damage(113, 'arrival_date.future', (c) => {
    c[col('人员类别')] = '流动人口';
    c[col('来本地时间')] = '2099-01-01';
  });
  damage(129, 'tags.unknown', (c) => {
    c[col('特殊人群')] = '孕产妇';
  });
  damage(144, 'household_no.required', (c) => {
    c[col('门户编码')] = '';
  });
  // A later row repeating an earlier, accepted row's ID number.
  damage(161, 'id.duplicate', (c) => {
    c[col('身份证件号')] = rows[150]?.[col('身份证件号')] as string;
    c[col('性別')] = rows[150]?.[col('性別')] as string;
  });
  // A row refused first, then the same person correctly: only the first is refused (nothing claimed).
  damage(175, 'phone.mobile', (c) => {
    c[col('手机')] = '12';
  });
  if (rows.length >= 221) {
    rows.splice(175, 0, [...(rows[174] as string[])]);
    (rows[175] as string[])[col('手机')] = '';
  }
  // Recoverable: full-width digits, a lower-case x, stray spaces; all accepted.
  recover(190, (c) => {
    c[col('身份证件号')] = (c[col('身份证件号')] as string).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  });
  recover(205, (c) => {
    const first17 = '33050219800101001';
    c[col('身份证件号')] = (first17 + idCheckCharacter(first17)).toLowerCase();
    c[col('性別')] = '男';
  });
  recover(220, (c) => {
    c[col('居民姓名')] = ` ${c[col('居民姓名')]} `;
    c[col('身份证件号')] = ` ${(c[col('身份证件号')] as string).replace(/^(\d{6})(\d{8})/, '$1 $2')} `;
  });
  for (const [i, r] of rows.entries()) r[0] = String(i + 1);
  return { title: '某镇人口基础信息登记表（2026年）', header: HEADER, rows, bad, org, userMapping: { 门户编码: 'householdNo' } };
}

/** The table with its title and a note row above the header, as a town's own sheet has it. */
function table(book: UnseenBook): string[][] {
  return [[book.title], ['填表说明：带*号为必填项'], book.header, ...book.rows];
}

/** UTF-8 CSV with a byte-order mark. */
export function unseenUtf8(book: UnseenBook): Uint8Array {
  return utf8WithBom(joinCsv(table(book)));
}

let gbkTable: Map<string, number> | undefined;
/** Encodes text as GBK (what Chinese Excel saves CSV in), from the platform's GB 18030 decoder. */
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== '\uFFFD' && !gbkTable.has(ch)) gbkTable.set(ch, (a << 8) | b);
      }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) out.push(code);
    else {
      const pair = gbkTable.get(ch);
      if (pair === undefined) throw new RangeError(`not in GBK: ${ch}`);
      out.push(pair >> 8, pair & 0xff);
    }
  }
  return new Uint8Array(out);
}

/** GBK CSV without a byte-order mark. */
export function unseenGbk(book: UnseenBook): Uint8Array {
  return encodeGbk(joinCsv(table(book)));
}

/** An XLSX workbook, the title merged across the columns. */
export function unseenXlsx(book: UnseenBook): Uint8Array {
  return writeXlsx({
    name: '登记表',
    rows: table(book).map((r) => r.map((value) => ({ value }))),
    merges: [`A1:P1`],
  });
}
