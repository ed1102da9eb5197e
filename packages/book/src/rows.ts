import {
  arrivalDateAllowed,
  charCount,
  cleanHouseholdNo,
  FIELD_MAX,
  personNameAllowed,
  RESIDENCE_TYPES,
  type ResidenceType,
} from '@gridline/domain/rules';
import * as z from '@gridline/domain/zod';
import type { BookField } from './columns';
import { checkIdNumber, type Gender } from './id-number';
import type { BookIssue } from './issues';
import type { ParsedBook, RawBookRow } from './parse';
import { checkPhone } from './phone';
import { defaultTagLists, indexTags, parseTags, type TagIndex, type TagLists } from './tags';
import { cleanLine, isoDate, isRealDate, type Message, todayInChina, toHalfWidth } from './text';

export { RESIDENCE_TYPES, type ResidenceType };

/** The label each residence type is written under in a book. */
export const RESIDENCE_TYPE_LABELS: Readonly<Record<ResidenceType, string>> = {
  registered: '户籍人口',
  permanent: '常住人口',
  floating: '流动人口',
};

export const GENDER_LABELS: Readonly<Record<Gender, string>> = { male: '男', female: '女' };

/** Relations that mark the head of a household. */
export const HEAD_RELATIONS: readonly string[] = ['户主', '本人'];

const isoDateSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
/** Non-empty text within the field's limit, counted in characters as the domain's rules count them. */
const bounded = (max: number) =>
  z.string().check(
    z.minLength(1),
    z.refine((s) => charCount(s) <= max, { message: `At most ${max} characters` }),
  );

/**
 * One person of the book as the rest of Gridline receives it: normalised values, English enums,
 * tag ids; optional fields are absent rather than empty.
 */
export const personRecordSchema = z.strictObject({
  householdNo: bounded(FIELD_MAX.householdNo),
  name: bounded(FIELD_MAX.name),
  gender: z.enum(['male', 'female']),
  ethnicity: z.optional(bounded(FIELD_MAX.ethnicity)),
  birthDate: isoDateSchema,
  idNumber: z.string().check(z.regex(/^\d{17}[\dX]$/)),
  phone: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
  community: bounded(FIELD_MAX.orgName),
  grid: bounded(FIELD_MAX.orgName),
  courtyard: z.optional(bounded(FIELD_MAX.orgName)),
  door: z.optional(bounded(FIELD_MAX.door)),
  relation: z.optional(bounded(FIELD_MAX.relation)),
  residenceType: z.enum(RESIDENCE_TYPES),
  /** Special-group tag ids (特殊人群). */
  tags: z.array(z.string().check(z.minLength(1))).check(z.maxLength(10)),
  /** Key-group tag ids (重点人群): visible and editable only with the permission. */
  keyTags: z.array(z.string().check(z.minLength(1))).check(z.maxLength(10)),
  arrivalDate: z.optional(isoDateSchema),
  note: z.optional(bounded(FIELD_MAX.note)),
});
export type PersonRecord = z.infer<typeof personRecordSchema>;

export type BookPerson = { row: number; sheetRow: number; person: PersonRecord; isHead: boolean };

export type BookHousehold = {
  householdNo: string;
  community: string;
  grid: string;
  courtyard?: string;
  door?: string;
  /** Data rows of the accepted members, in file order. */
  memberRows: number[];
  /** The data row of the head (户主), when exactly one member is marked so. */
  headRow?: number;
};

export type RejectedRow = { row: number; sheetRow: number; cells: string[]; issues: BookIssue[] };

export type BookValidation = {
  people: BookPerson[];
  households: BookHousehold[];
  rejected: RejectedRow[];
  /** Warnings about the file and about accepted or rejected rows (nothing is refused for them). */
  warnings: BookIssue[];
  stats: { rows: number; accepted: number; rejected: number; households: number };
};

export type ValidateOptions = {
  /** Today's date (YYYY-MM-DD) for "not in the future" checks; defaults to today in China. */
  today?: string;
  /** The town's tag lists (a TownConfig fits); defaults to the domain defaults with common aliases. */
  tags?: TagLists;
  /**
   * A floating resident (流动人口) without an arrival date (流入时间): refused by default, because the
   * arrival is the core of a floating registration and the person model requires it; `'warning'`
   * imports such rows and lists them, for towns whose old books never recorded the date.
   */
  floatingWithoutArrival?: 'error' | 'warning';
  /**
   * Further checks of a row that passed every book rule (e.g. that its grid exists in the town); the
   * issues returned refuse the row, which then claims neither its ID number nor its household number.
   */
  checkRow?: (person: PersonRecord, raw: RawBookRow) => BookIssue[];
};

// ------------------------------------------------------------------------------------- value parsers

const GENDERS: Record<string, Gender> = {
  男: 'male',
  男性: 'male',
  m: 'male',
  male: 'male',
  女: 'female',
  女性: 'female',
  f: 'female',
  female: 'female',
};

const RESIDENCE: Record<string, ResidenceType> = {
  户籍人口: 'registered',
  户籍: 'registered',
  户籍居民: 'registered',
  本地户籍: 'registered',
  registered: 'registered',
  常住人口: 'permanent',
  常住: 'permanent',
  非户籍常住人口: 'permanent',
  常住非户籍人口: 'permanent',
  寄住人口: 'permanent',
  permanent: 'permanent',
  流动人口: 'floating',
  流动: 'floating',
  流入人口: 'floating',
  外来人口: 'floating',
  暂住人口: 'floating',
  floating: 'floating',
};

function key(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

type PartialDate = { y: number; m: number; d?: number };

/** Reads a date as books write it: 2024-07-01, 2024/7/1, 2024.7.1, 2024年7月1日, 20240701, or a month alone. */
export function parseBookDate(raw: string): PartialDate | null {
  const s = toHalfWidth(raw)
    .trim()
    .replace(/[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/, '');
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const date = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
    return isRealDate(date.y, date.m, date.d) ? date : null;
  }
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const date = { y: Number(m[1]), m: Number(m[2]) };
    return date.m >= 1 && date.m <= 12 ? date : null;
  }
  return null;
}

// ------------------------------------------------------------------------------------------ messages

function issue(
  severity: BookIssue['severity'],
  raw: RawBookRow,
  field: BookField,
  code: string,
  message: Message,
  extra: Partial<BookIssue> = {},
): BookIssue {
  return { severity, code, message, row: raw.row, sheetRow: raw.sheetRow, field, ...extra };
}

const REQUIRED: Partial<Record<BookField, Message>> = {
  householdNo: { zh: '户编号不能为空', en: 'The household number is required' },
  name: { zh: '姓名不能为空', en: 'The name is required' },
  community: { zh: '所属社区不能为空', en: 'The community is required' },
  grid: { zh: '所属网格不能为空', en: 'The grid is required' },
  residenceType: {
    zh: '人口类型不能为空（户籍人口、常住人口或流动人口）',
    en: 'The residence type is required (户籍人口, 常住人口 or 流动人口)',
  },
};

const LIMITS: Partial<Record<BookField, [number, string, string]>> = {
  householdNo: [FIELD_MAX.householdNo, '户编号', 'household number'],
  name: [FIELD_MAX.name, '姓名', 'name'],
  ethnicity: [FIELD_MAX.ethnicity, '民族', 'ethnicity'],
  community: [FIELD_MAX.orgName, '所属社区', 'community'],
  grid: [FIELD_MAX.orgName, '所属网格', 'grid'],
  courtyard: [FIELD_MAX.orgName, '院落楼栋', 'courtyard / building'],
  door: [FIELD_MAX.door, '门牌号', 'unit / room'],
  relation: [FIELD_MAX.relation, '与户主关系', 'relation to head'],
  note: [FIELD_MAX.note, '备注', 'note'],
};

// ----------------------------------------------------------------------------------------- validate

type AddressFields = { community?: string; grid?: string; courtyard?: string; door?: string };
const ADDRESS_FIELDS = ['community', 'grid', 'courtyard', 'door'] as const;
const ADDRESS_LABELS: Record<(typeof ADDRESS_FIELDS)[number], [string, string]> = {
  community: ['所属社区', 'community'],
  grid: ['所属网格', 'grid'],
  courtyard: ['院落楼栋', 'courtyard / building'],
  door: ['门牌号', 'unit / room'],
};

/**
 * Validates the rows of a parsed book into person records. Every rejected row carries each of its
 * errors (row, field, stable code, Chinese and English message). Across rows: a repeated ID number
 * rejects the later row, pointing at the earlier; rows are grouped into households by 户编号, whose
 * address comes from its first row that names one: a member may leave address cells blank (they are
 * taken from the household) but may not contradict it.
 */
export function validateBook(parsed: ParsedBook, options: ValidateOptions = {}): BookValidation {
  const today = options.today ?? todayInChina();
  const tags: TagIndex = indexTags(options.tags ?? defaultTagLists());
  const people: BookPerson[] = [];
  const rejected: RejectedRow[] = [];
  const warnings: BookIssue[] = [...parsed.warnings];
  const firstRowOfId = new Map<string, number>();
  const households = new Map<string, { address: AddressFields; firstRow: number; household?: BookHousehold }>();
  const householdOrder: BookHousehold[] = [];
  const aliasReads = new Map<string, { written: string; label: string; rows: number; firstRow: number }>();

  if (parsed.fileErrors.length > 0) {
    return { people, households: [], rejected, warnings, stats: { rows: 0, accepted: 0, rejected: 0, households: 0 } };
  }

  for (const raw of parsed.rows) {
    const errors: BookIssue[] = [];
    const rowWarnings: BookIssue[] = [];
    const error = (field: BookField, code: string, message: Message, extra: Partial<BookIssue> = {}) =>
      errors.push(issue('error', raw, field, code, message, extra));
    const warn = (field: BookField, code: string, message: Message) => rowWarnings.push(issue('warning', raw, field, code, message));

    // Single-line text of each field, with required and length checks.
    const text = (field: BookField): string | undefined => {
      const v = raw.values[field];
      if (v === undefined) return undefined;
      const line = field === 'note' ? v : cleanLine(v);
      return line === '' ? undefined : line;
    };
    const bounded = (field: BookField, value: string | undefined): string | undefined => {
      const limit = LIMITS[field];
      if (value !== undefined && limit && charCount(value) > limit[0]) {
        error(field, `${snake(field)}.too_long`, {
          zh: `${limit[1]}不能超过${limit[0]}个字`,
          en: `The ${limit[2]} may have at most ${limit[0]} characters`,
        });
      }
      return value;
    };

    // ID number: the anchor of every cross-check.
    const idRaw = raw.values.idNumber ?? '';
    const id = checkIdNumber(idRaw, { today });
    if (!id.ok) error('idNumber', id.reason, id.message);

    // Name.
    const name = bounded('name', text('name'));
    if (name === undefined) error('name', 'name.required', REQUIRED.name as Message);
    else if (!personNameAllowed(toHalfWidth(name))) {
      error('name', 'name.invalid', { zh: '姓名含有数字或符号', en: 'The name contains digits or symbols' });
    }

    // Gender, cross-checked with the ID number; blank means "as the ID says".
    let gender: Gender | undefined = id.ok ? id.gender : undefined;
    const genderText = text('gender');
    if (genderText !== undefined) {
      const g = GENDERS[key(genderText)];
      if (g === undefined) error('gender', 'gender.invalid', { zh: '性别应为“男”或“女”', en: 'Gender must be 男 (male) or 女 (female)' });
      else if (id.ok && g !== id.gender) {
        error('gender', 'gender.mismatch', {
          zh: `性别与公民身份号码不符（号码第17位表示${id.gender === 'male' ? '男' : '女'}）`,
          en: `Gender does not match the ID number (its 17th digit says ${id.gender})`,
        });
      } else gender = g;
    }

    // Birth date, cross-checked with the ID number; blank means "as the ID says".
    const birthText = text('birthDate');
    if (birthText !== undefined) {
      const b = parseBookDate(birthText);
      if (b === null) {
        error('birthDate', 'birth_date.invalid', {
          zh: '出生日期不是有效日期（应为 YYYY-MM-DD）',
          en: 'The birth date is not a valid date (use YYYY-MM-DD)',
        });
      } else if (id.ok) {
        const written = b.d === undefined ? isoDate(b.y, b.m, 1).slice(0, 7) : isoDate(b.y, b.m, b.d);
        if (written !== id.birthDate.slice(0, written.length)) {
          error('birthDate', 'birth_date.mismatch', {
            zh: '出生日期与公民身份号码中的出生日期不符',
            en: 'The birth date does not match the one inside the ID number',
          });
        }
      }
    }

    // Phone, optional.
    const phoneText = text('phone');
    let phone: string | undefined;
    if (phoneText !== undefined) {
      const p = checkPhone(phoneText);
      if (p.ok) phone = p.value;
      else error('phone', p.reason, p.message);
    }

    const householdNoText = text('householdNo');
    const householdNo = bounded('householdNo', householdNoText === undefined ? undefined : cleanHouseholdNo(householdNoText));
    if (householdNo === undefined) error('householdNo', 'household_no.required', REQUIRED.householdNo as Message);

    const ethnicity = bounded('ethnicity', text('ethnicity'));
    const relation = bounded('relation', text('relation'));
    const note = bounded('note', text('note'));

    // Residence type.
    const typeText = text('residenceType');
    let residenceType: ResidenceType | undefined;
    if (typeText === undefined) error('residenceType', 'residence_type.required', REQUIRED.residenceType as Message);
    else {
      residenceType = RESIDENCE[key(typeText)];
      if (residenceType === undefined) {
        error('residenceType', 'residence_type.invalid', {
          zh: '人口类型应为户籍人口、常住人口或流动人口',
          en: 'The residence type must be 户籍人口 (registered), 常住人口 (permanent) or 流动人口 (floating)',
        });
      }
    }

    // Special and key groups.
    const tagText = text('tags');
    const parsedTags = tagText === undefined ? { tags: [], keyTags: [], unknown: [], aliased: [] } : parseTags(tagText, tags);
    for (const a of parsedTags.aliased) {
      const seen = aliasReads.get(`${a.written}|${a.id}`);
      if (seen) seen.rows++;
      else aliasReads.set(`${a.written}|${a.id}`, { ...a, rows: 1, firstRow: raw.row });
    }
    // The same bound as the API's: at most ten of each list (special groups, key groups).
    if (parsedTags.tags.length > 10 || parsedTags.keyTags.length > 10) {
      error('tags', 'tags.too_many', { zh: '特殊人群类别和重点人群类别各最多10个', en: 'A person may carry at most 10 tags of each kind' });
    }
    if (parsedTags.unknown.length > 0) {
      const list = parsedTags.unknown.join('、');
      error('tags', 'tags.unknown', {
        zh: `特殊人群类别“${list}”不在本镇的类别列表中`,
        en: `Special-group tag(s) "${list}" are not in the town's list`,
      });
    }

    // Arrival date: for floating people (see `floatingWithoutArrival`).
    const arrivalText = text('arrivalDate');
    let arrivalDate: string | undefined;
    if (arrivalText !== undefined) {
      const a = parseBookDate(arrivalText);
      if (a === null) {
        error('arrivalDate', 'arrival_date.invalid', {
          zh: '流入时间不是有效日期（应为 YYYY-MM-DD）',
          en: 'The arrival date is not a valid date (use YYYY-MM-DD)',
        });
      } else {
        if (a.d === undefined) {
          warn('arrivalDate', 'arrival_date.month_only', {
            zh: '流入时间只有年月，已按当月1日记录',
            en: 'The arrival date gives only a month; recorded as the first of that month',
          });
        }
        arrivalDate = isoDate(a.y, a.m, a.d ?? 1);
        if (!arrivalDateAllowed(arrivalDate, today))
          error('arrivalDate', 'arrival_date.future', { zh: '流入时间晚于今天', en: 'The arrival date is in the future' });
        else if (id.ok && arrivalDate.slice(0, a.d === undefined ? 7 : 10) < id.birthDate.slice(0, a.d === undefined ? 7 : 10)) {
          // Children born after their family arrived often carry the family's date: worth a look, not a refusal.
          warn('arrivalDate', 'arrival_date.before_birth', {
            zh: '流入时间早于出生日期（可能沿用了家庭的流入时间），请核对',
            en: "The arrival date is before the birth date (perhaps the family's date); please check",
          });
        }
      }
    } else if (residenceType === 'floating') {
      if ((options.floatingWithoutArrival ?? 'error') === 'error') {
        error('arrivalDate', 'arrival_date.required', {
          zh: '流动人口必须填写流入时间',
          en: 'A floating resident needs an arrival date (流入时间)',
        });
      } else {
        warn('arrivalDate', 'arrival_date.missing', {
          zh: '流动人口未填写流入时间，已导入，请补录',
          en: 'A floating resident has no arrival date; imported, please add it',
        });
      }
    }

    // Duplicate ID within the file: the later row is refused, naming both rows. Only accepted rows
    // claim an ID, so a refused row never makes a later, valid row for the same person a duplicate.
    if (id.ok) {
      const earlier = firstRowOfId.get(id.value);
      if (earlier !== undefined) {
        error(
          'idNumber',
          'id.duplicate',
          {
            zh: `第 ${raw.row} 行的公民身份号码与第 ${earlier} 行重复`,
            en: `The ID number in row ${raw.row} repeats the one in row ${earlier}`,
          },
          { relatedRow: earlier },
        );
      }
    }

    // Address: blanks are taken from the household, contradictions refused.
    const address: AddressFields = {};
    for (const f of ADDRESS_FIELDS) {
      const v = bounded(f, text(f));
      if (v !== undefined) address[f] = v;
    }
    let known: { address: AddressFields; firstRow: number; household?: BookHousehold } | undefined =
      householdNo === undefined ? undefined : households.get(householdNo);
    if (known) {
      for (const f of ADDRESS_FIELDS) {
        const mine = address[f];
        const theirs = known.address[f];
        if (mine === undefined) {
          if (theirs !== undefined) address[f] = theirs;
        } else if (theirs !== undefined && mine !== theirs) {
          const [zh, en] = ADDRESS_LABELS[f];
          error(
            f,
            'household.address_conflict',
            {
              zh: `同一户（${householdNo}）的${zh}与第 ${known.firstRow} 行不一致`,
              en: `The ${en} differs from row ${known.firstRow} of the same household (${householdNo})`,
            },
            { relatedRow: known.firstRow },
          );
        }
      }
    }
    if (address.community === undefined) error('community', 'community.required', REQUIRED.community as Message);
    if (address.grid === undefined) error('grid', 'grid.required', REQUIRED.grid as Message);

    if (errors.length > 0 || !id.ok || gender === undefined || residenceType === undefined) {
      rejected.push({ row: raw.row, sheetRow: raw.sheetRow, cells: raw.cells, issues: errors });
      warnings.push(...rowWarnings);
      continue;
    }

    const candidate = {
      householdNo,
      name,
      gender,
      ...(ethnicity === undefined ? {} : { ethnicity }),
      birthDate: id.birthDate,
      idNumber: id.value,
      ...(phone === undefined ? {} : { phone }),
      community: address.community,
      grid: address.grid,
      ...(address.courtyard === undefined ? {} : { courtyard: address.courtyard }),
      ...(address.door === undefined ? {} : { door: address.door }),
      ...(relation === undefined ? {} : { relation }),
      residenceType,
      tags: parsedTags.tags,
      keyTags: parsedTags.keyTags,
      ...(arrivalDate === undefined ? {} : { arrivalDate }),
      ...(note === undefined ? {} : { note }),
    };
    const checked = personRecordSchema.safeParse(candidate);
    if (!checked.success) {
      // Every field was checked above; this is a guard against the two drifting apart.
      const first = checked.error.issues[0];
      error((first?.path[0] as BookField | undefined) ?? 'name', 'row.invalid', {
        zh: '该行数据无效',
        en: `The row is invalid: ${first?.message ?? 'unknown'}`,
      });
      rejected.push({ row: raw.row, sheetRow: raw.sheetRow, cells: raw.cells, issues: errors });
      warnings.push(...rowWarnings);
      continue;
    }
    const person = checked.data;
    // Checks of the caller (the town's org chart, permissions) refuse a row before it claims anything.
    for (const extra of options.checkRow?.(person, raw) ?? []) errors.push({ ...extra, row: raw.row, sheetRow: raw.sheetRow });
    if (errors.length > 0) {
      rejected.push({ row: raw.row, sheetRow: raw.sheetRow, cells: raw.cells, issues: errors });
      warnings.push(...rowWarnings);
      continue;
    }
    firstRowOfId.set(person.idNumber, raw.row);
    if (!known) {
      known = { address: { ...address }, firstRow: raw.row };
      households.set(person.householdNo, known);
    }
    const isHead = person.relation !== undefined && HEAD_RELATIONS.includes(person.relation);
    people.push({ row: raw.row, sheetRow: raw.sheetRow, person, isHead });
    warnings.push(...rowWarnings);

    const entry = households.get(person.householdNo);
    if (entry && !entry.household) {
      entry.household = {
        householdNo: person.householdNo,
        community: person.community,
        grid: person.grid,
        ...(person.courtyard === undefined ? {} : { courtyard: person.courtyard }),
        ...(person.door === undefined ? {} : { door: person.door }),
        memberRows: [],
      };
      householdOrder.push(entry.household);
    }
    entry?.household?.memberRows.push(raw.row);
  }

  // A tag read through an alias is said once per name, so the town sees which of its groups took it.
  for (const a of aliasReads.values()) {
    warnings.push({
      severity: 'warning',
      code: 'tags.read_as',
      field: 'tags',
      row: a.firstRow,
      message: {
        zh: `特殊人群类别“${a.written}”按本镇的“${a.label}”导入（${a.rows} 行）`,
        en: `Tag "${a.written}" is read as the town's "${a.label}" (${a.rows} rows)`,
      },
    });
  }

  // Heads of household: exactly one is expected; anything else is worth a look but refuses nobody.
  const headsByHousehold = new Map<string, number[]>();
  for (const p of people) {
    if (!p.isHead) continue;
    const list = headsByHousehold.get(p.person.householdNo) ?? [];
    list.push(p.row);
    headsByHousehold.set(p.person.householdNo, list);
  }
  for (const h of householdOrder) {
    const heads = headsByHousehold.get(h.householdNo) ?? [];
    const first = h.memberRows[0] ?? 0;
    if (heads.length === 1) h.headRow = heads[0] as number;
    else {
      warnings.push({
        severity: 'warning',
        code: heads.length === 0 ? 'household.no_head' : 'household.multiple_heads',
        field: 'relation',
        row: first,
        message:
          heads.length === 0
            ? { zh: `户 ${h.householdNo} 没有标明户主`, en: `Household ${h.householdNo} has no member marked as head (户主)` }
            : { zh: `户 ${h.householdNo} 标明了多个户主`, en: `Household ${h.householdNo} has more than one member marked as head (户主)` },
      });
    }
  }

  return {
    people,
    households: householdOrder,
    rejected,
    warnings,
    stats: { rows: parsed.rows.length, accepted: people.length, rejected: rejected.length, households: householdOrder.length },
  };
}

function snake(field: BookField): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
