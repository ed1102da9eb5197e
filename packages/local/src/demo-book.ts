import { defaultTagLists, idCheckCharacter, type PersonRecord, type TagLists, writeBookXlsx } from '@gridline/book';
import { DEMO_TOWNS } from './seed';

/**
 * Population books for the demo towns that have no sample of their own (桃源街道 and 白沙镇): plausible
 * households laid out on each town's org chart, built from a seeded generator so that every fresh demo
 * holds the same people. Only the arrival dates of floating residents move with `today` (they fall in
 * the months before it); names, ID numbers and households do not.
 */

type DemoTown = (typeof DEMO_TOWNS)[number];
type Gender = PersonRecord['gender'];

/** How many people each generated book holds (qingshi imports the 400-person sample instead). */
export const DEMO_BOOK_SIZES: Readonly<Record<string, number>> = { taoyuan: 220, baisha: 180 };

/** Ages are counted back from this year, so a birth date (and the ID number) never depends on the day of the run. */
const AGE_BASE_YEAR = 2025;

/** Region codes (GB/T 2260) of the county's own area, as in the sample book (浙江 湖州: 3305xx). */
const HOME_REGIONS = ['330521', '330522', '330523'];
/** Elsewhere in the province: permanent residents who live here without being registered here. */
const PROVINCE_REGIONS = [
  { code: '330102', place: '浙江杭州' },
  { code: '330302', place: '浙江温州' },
  { code: '330681', place: '浙江诸暨' },
];
/** Where floating residents come from (other provinces), with the place written in the note. */
const ORIGINS = [
  { code: '320106', place: '江苏南京' },
  { code: '410102', place: '河南郑州' },
  { code: '510104', place: '四川成都' },
  { code: '340102', place: '安徽合肥' },
  { code: '360102', place: '江西南昌' },
  { code: '430102', place: '湖南长沙' },
  { code: '420102', place: '湖北武汉' },
  { code: '522601', place: '贵州凯里' },
];
const REASONS = ['务工', '务工', '经商', '随迁', '租住务工'];

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢钟汪'];
/** Given names as each generation was named: born before 1965, up to 1995, and since. */
const GIVEN: Record<Gender, readonly [string[], string[], string[]]> = {
  male: [
    '建国 国华 志强 德明 永福 长根 建华 卫东 国庆 福生 金海 荣华 树林 有才 立新 振华 文忠 阿根'.split(' '),
    '伟 勇 军 强 磊 斌 涛 志刚 海涛 建平 俊杰 明辉 晓东 文斌 永刚 建军 国平 立伟 鹏 浩 剑锋 春生'.split(' '),
    '浩然 子轩 宇航 博文 晨阳 家豪 天佑 俊熙 梓豪 一鸣 思远 子涵 宇轩 睿 昊 泽宇 铭 皓轩'.split(' '),
  ],
  female: [
    '秀英 桂兰 玉兰 淑珍 凤英 金凤 美华 秀珍 月娥 翠花 素芬 彩霞 桂芳 玉梅 阿英 荷花'.split(' '),
    '丽华 美玲 海燕 晓燕 春梅 秀芳 丽娟 慧敏 雪梅 文静 晓丽 芳 静 敏 娜 红霞 艳 琳 燕 婷'.split(' '),
    '婷婷 雨涵 欣怡 思琪 梓涵 诗涵 佳怡 一诺 可欣 子萱 语嫣 梦瑶 雨桐 若曦 晨曦 佳琪'.split(' '),
  ],
};
const ETHNICITIES = ['畲族', '回族', '土家族', '苗族'];

/** A small seeded generator (mulberry32): the same seed gives the same book on every machine. */
function generator(seed: string) {
  let state = 0x9e3779b9;
  for (const ch of seed) state = Math.imul(state ^ ch.charCodeAt(0), 0x85ebca6b) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}
type Rng = ReturnType<typeof generator>;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function addDays(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

type Member = {
  relation: string;
  gender: Gender;
  age: number;
  surname?: string;
  residence: PersonRecord['residenceType'];
  region: string;
  tags: string[];
};

/** The kinds of household a grid holds, with weights for urban communities and for villages. */
const KINDS = {
  family: { community: 34, village: 30 },
  youngCouple: { community: 12, village: 6 },
  single: { community: 8, village: 4 },
  elderlyAlone: { community: 7, village: 12 },
  emptyNest: { community: 6, village: 12 },
  leftBehind: { community: 3, village: 16 },
  floating: { community: 26, village: 7 },
} as const;
type Kind = keyof typeof KINDS;

function pickKind(rng: Rng, place: 'community' | 'village'): Kind {
  const entries = Object.entries(KINDS) as Array<[Kind, (typeof KINDS)[Kind]]>;
  let roll = rng.int(
    1,
    entries.reduce((n, [, w]) => n + w[place], 0),
  );
  for (const [kind, w] of entries) {
    roll -= w[place];
    if (roll <= 0) return kind;
  }
  return 'family';
}

const other = (g: Gender): Gender => (g === 'male' ? 'female' : 'male');

/** The members of one household, by kind: relations to the head, ages and residence as such a household has them. */
function membersOf(kind: Kind, rng: Rng, hasTag: (id: string) => boolean): { members: Member[]; origin?: (typeof ORIGINS)[number] } {
  const home = rng.pick(HOME_REGIONS);
  const local = (m: Omit<Member, 'residence' | 'region' | 'tags'>): Member => ({ ...m, residence: 'registered', region: home, tags: [] });
  const child = (parentAge: number, grand = false): Omit<Member, 'residence' | 'region' | 'tags'> => {
    const gender: Gender = rng.chance(0.5) ? 'male' : 'female';
    const relation = grand ? (gender === 'male' ? '孙子' : '孙女') : gender === 'male' ? '子' : '女';
    return { relation, gender, age: Math.max(1, parentAge - rng.int(grand ? 48 : 23, grand ? 60 : 34)) };
  };
  const members: Member[] = [];
  switch (kind) {
    case 'family': {
      const headGender: Gender = rng.chance(0.75) ? 'male' : 'female';
      const age = rng.int(34, 58);
      members.push(local({ relation: '户主', gender: headGender, age }));
      const spouse = local({ relation: '配偶', gender: other(headGender), age: Math.max(22, age + rng.int(-4, 3)) });
      // Some spouses married in from elsewhere in the province and kept their registration there.
      if (rng.chance(0.2)) Object.assign(spouse, { residence: 'permanent', region: rng.pick(PROVINCE_REGIONS).code });
      members.push(spouse);
      for (let i = rng.int(0, 2); i > 0; i--) members.push(local({ ...child(age), surname: 'head' }));
      if (rng.chance(0.3)) {
        const parentGender: Gender = rng.chance(0.5) ? 'male' : 'female';
        members.push(
          local({
            relation: parentGender === 'male' ? '父亲' : '母亲',
            gender: parentGender,
            age: age + rng.int(24, 32),
            ...(parentGender === 'male' ? { surname: 'head' } : {}),
          }),
        );
      }
      break;
    }
    case 'youngCouple': {
      const age = rng.int(24, 33);
      members.push(local({ relation: '户主', gender: 'male', age }));
      members.push(local({ relation: '配偶', gender: 'female', age: age + rng.int(-3, 1) }));
      if (rng.chance(0.5)) members.push(local({ ...child(age), age: rng.int(1, 5), surname: 'head' }));
      break;
    }
    case 'single': {
      const m = local({ relation: '户主', gender: rng.chance(0.6) ? 'male' : 'female', age: rng.int(22, 45) });
      // Young people from elsewhere in the province who settled here without moving their registration.
      if (rng.chance(0.4)) Object.assign(m, { residence: 'permanent', region: rng.pick(PROVINCE_REGIONS).code });
      members.push(m);
      break;
    }
    case 'elderlyAlone': {
      const m = local({ relation: '户主', gender: rng.chance(0.65) ? 'female' : 'male', age: rng.int(68, 92) });
      if (hasTag('elderly_alone')) m.tags.push('elderly_alone');
      members.push(m);
      break;
    }
    case 'emptyNest': {
      const age = rng.int(64, 86);
      members.push(local({ relation: '户主', gender: 'male', age }));
      members.push(local({ relation: '配偶', gender: 'female', age: age + rng.int(-4, 1) }));
      if (hasTag('elderly_alone')) for (const m of members) m.tags.push('elderly_alone');
      break;
    }
    case 'leftBehind': {
      // Grandparents bringing up grandchildren whose parents work in the cities.
      const age = rng.int(56, 72);
      const headGender: Gender = rng.chance(0.6) ? 'male' : 'female';
      members.push(local({ relation: '户主', gender: headGender, age }));
      if (rng.chance(0.6)) members.push(local({ relation: '配偶', gender: other(headGender), age: age + rng.int(-3, 3) }));
      for (let i = rng.int(1, 2); i > 0; i--) {
        const c = local({ ...child(age, true), age: rng.int(4, 14), surname: headGender === 'male' ? 'head' : 'own' });
        if (hasTag('left_behind_child')) c.tags.push('left_behind_child');
        members.push(c);
      }
      break;
    }
    case 'floating': {
      const origin = rng.pick(ORIGINS);
      const away = (m: Omit<Member, 'residence' | 'region' | 'tags'>): Member => ({
        ...m,
        residence: 'floating',
        region: origin.code,
        tags: [],
      });
      const age = rng.int(21, 46);
      const headGender: Gender = rng.chance(0.7) ? 'male' : 'female';
      members.push(away({ relation: '户主', gender: headGender, age }));
      if (rng.chance(0.55)) {
        members.push(away({ relation: '配偶', gender: other(headGender), age: Math.max(20, age + rng.int(-4, 3)) }));
        if (age > 26 && rng.chance(0.5)) members.push(away({ ...child(age), surname: headGender === 'male' ? 'head' : 'own' }));
      }
      return { members, origin };
    }
  }
  return { members };
}

export type DemoBookOptions = {
  /** Today (YYYY-MM-DD): floating residents arrived in the months before it. */
  today: string;
  /** The town's tag lists; tags are chosen among its special groups and written under its labels. */
  tags?: TagLists;
  /** How many people (default: DEMO_BOOK_SIZES). */
  people?: number;
};

/**
 * The generated population book of a demo town: households of one to five people on the town's grids
 * and courtyards (as seeded), with relations to the head, names, valid ID numbers of the county (or,
 * for floating residents, of their home province) that agree with birth date and gender, phones, and
 * special-group tags from the town's list. Same town and `today`, same book.
 */
export function demoBook(townId: string, options: DemoBookOptions): PersonRecord[] {
  const town = DEMO_TOWNS.find((t) => t.townId === townId);
  if (!town) throw new Error(`no demo town ${townId}`);
  const target = options.people ?? DEMO_BOOK_SIZES[townId];
  if (!target) throw new Error(`the demo town ${townId} has no generated book`);
  const rng = generator(`gridline-demo-book|${townId}`);
  const offered = new Set((options.tags ?? defaultTagLists()).specialGroups.map((t) => t.id));
  const hasTag = (id: string) => offered.has(id);

  // Every courtyard of the town takes households in turn, so bigger grids hold more people.
  const places = townPlaces(town);
  const doors = new Map<string, Set<string>>();
  const householdNos = new Map<string, number>();
  const ids = new Set<string>();
  const phones = new Set<string>();
  const records: PersonRecord[] = [];

  const idNumber = (region: string, birth: string, gender: Gender) => {
    for (;;) {
      const sequence = 2 * rng.int(0, 499) + (gender === 'male' ? 1 : 0);
      const body = `${region}${birth.replace(/-/g, '')}${pad(sequence, 3)}`;
      const id = body + idCheckCharacter(body);
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const phone = () => {
    for (;;) {
      const p = `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.int(0, 9)}${pad(rng.int(0, 99_999_999), 8)}`;
      if (!phones.has(p)) {
        phones.add(p);
        return p;
      }
    }
  };
  const birthDate = (age: number) => `${AGE_BASE_YEAR - age}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const door = (yard: string, village: boolean) => {
    const used = doors.get(yard) ?? new Set<string>();
    doors.set(yard, used);
    for (;;) {
      const d = village ? `${rng.int(1, 60)}号` : `${rng.int(1, 4)}单元${rng.int(1, 6)}0${rng.int(1, 4)}室`;
      if (!used.has(d)) {
        used.add(d);
        return d;
      }
    }
  };

  for (let h = 0; records.length < target; h++) {
    const place = places[h % places.length] as (typeof places)[number];
    const { members, origin } = membersOf(pickKind(rng, place.kind), rng, hasTag);
    members.splice(target - records.length);
    const n = (householdNos.get(place.gridCode) ?? 0) + 1;
    householdNos.set(place.gridCode, n);
    const householdNo = `${place.gridCode.replace(/-/g, '')}${pad(n, 4)}`;
    const address = {
      community: place.community,
      grid: place.grid,
      courtyard: place.courtyard,
      door: door(`${place.grid}|${place.courtyard}`, place.courtyard.endsWith('院落')),
    };
    const headSurname = rng.pick(SURNAMES);
    // A floating family arrived together, on one day in the last eleven months.
    const arrivalDate = origin ? addDays(options.today, -rng.int(7, 330)) : undefined;
    const minority = rng.chance(0.08) ? rng.pick(ETHNICITIES) : undefined;
    const names = new Set<string>();
    for (const m of members) {
      const surname = m.relation === '户主' || m.surname === 'head' ? headSurname : rng.pick(SURNAMES);
      const generation = AGE_BASE_YEAR - m.age < 1965 ? 0 : AGE_BASE_YEAR - m.age <= 1995 ? 1 : 2;
      let name = `${surname}${rng.pick(GIVEN[m.gender][generation])}`;
      while (names.has(name)) name = `${surname}${rng.pick(GIVEN[m.gender][generation])}`;
      names.add(name);
      const born = birthDate(m.age);
      const tags = [...m.tags];
      if (hasTag('disabled') && rng.chance(0.025)) tags.push('disabled');
      if (hasTag('low_income') && m.relation === '户主' && m.residence !== 'floating' && rng.chance(0.1)) tags.push('low_income');
      if (hasTag('veteran') && m.gender === 'male' && m.age >= 40 && m.age <= 75 && rng.chance(0.06)) tags.push('veteran');
      records.push({
        householdNo,
        name,
        gender: m.gender,
        ethnicity: minority && m.residence !== 'floating' ? minority : '汉族',
        birthDate: born,
        idNumber: idNumber(m.region, born, m.gender),
        ...(m.age >= 16 && (m.age < 78 || rng.chance(0.4)) ? { phone: phone() } : {}),
        ...address,
        relation: m.relation,
        residenceType: m.residence,
        tags,
        keyTags: [],
        ...(arrivalDate ? { arrivalDate } : {}),
        ...(origin && m.relation === '户主' ? { note: `户籍地${origin.place}，${rng.pick(REASONS)}` } : {}),
      });
    }
  }
  return records;
}

/** Each courtyard of the town once, with its grid, community and whether the community is a village. */
function townPlaces(town: DemoTown) {
  return town.communities.flatMap((c) =>
    c.grids.flatMap((g) =>
      g.courtyards.map((courtyard) => ({ community: c.name, kind: c.kind, grid: g.name, gridCode: g.code, courtyard })),
    ),
  );
}

/** The generated book as the XLSX file a coordinator would hand in: the book's own title and column layout. */
export function demoBookFile(townId: string, options: DemoBookOptions): { fileName: string; bytes: Uint8Array; people: PersonRecord[] } {
  const town = DEMO_TOWNS.find((t) => t.townId === townId);
  if (!town) throw new Error(`no demo town ${townId}`);
  const people = demoBook(townId, options);
  const title = `${town.name}人口信息台账`;
  return { fileName: `${title}.xlsx`, bytes: writeBookXlsx(people, { title, ...(options.tags ? { tags: options.tags } : {}) }), people };
}
