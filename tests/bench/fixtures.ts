import { forTown, provisionTown } from '@gridline/data';
import type { TownSpec } from '@gridline/domain';
import { sampleFile } from './books';
import { type ImportView, importWhole } from './imports';

/**
 * Data the benchmark adds on top of the demo county, so that listings return full pages: the demo
 * county has three towns and about a dozen staff per town, less than one page of 25, and no residents.
 */

/** Town name stems (pinyin, hanzi). Each gives a town (镇) and a subdistrict (街道): 60 towns. */
const STEMS: ReadonlyArray<readonly [string, string]> = [
  ['anping', '安平'],
  ['baiyun', '白云'],
  ['changle', '长乐'],
  ['dashi', '大石'],
  ['fengxiang', '凤翔'],
  ['gaoqiao', '高桥'],
  ['heping', '和平'],
  ['huashan', '华山'],
  ['jinshan', '金山'],
  ['jiulong', '九龙'],
  ['lianhua', '莲花'],
  ['longquan', '龙泉'],
  ['meixi', '梅溪'],
  ['nanshan', '南山'],
  ['pingan', '平安'],
  ['qinghe', '清河'],
  ['sanjiang', '三江'],
  ['shiqiao', '石桥'],
  ['shuangjing', '双井'],
  ['taiping', '太平'],
  ['wanshou', '万寿'],
  ['xiangyang', '向阳'],
  ['xinhua', '新华'],
  ['xinglong', '兴隆'],
  ['yangliu', '杨柳'],
  ['yonghe', '永和'],
  ['yuquan', '玉泉'],
  ['zhangjia', '张家'],
  ['zhuxi', '竹溪'],
  ['ziyang', '紫阳'],
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['建华', '秀兰', '志强', '海燕', '国庆', '丽萍', '永红', '文博', '春梅', '晓东', '玉芬', '德明', '桂英', '振宇', '淑珍'];

/** A person's name, the same for the same number on every run. */
export const personName = (n: number) => `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`;

export const EXTRA_TOWNS: ReadonlyArray<{ townId: string; spec: TownSpec }> = STEMS.flatMap(([py, han], i) => [
  {
    townId: py,
    spec: {
      name: `${han}镇`,
      nameEn: `${cap(py)} Town`,
      kind: 'town' as const,
      admin: { username: `${py}.admin`, displayName: personName(2 * i) },
    },
  },
  {
    townId: `${py}-jd`,
    spec: {
      name: `${han}街道`,
      nameEn: `${cap(py)} Subdistrict`,
      kind: 'subdistrict' as const,
      admin: { username: `${py}-jd.admin`, displayName: personName(2 * i + 1) },
    },
  },
]);

function cap(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The town whose admin calls the town routes, and the communities staff are added to. */
export const BENCH_TOWN = 'qingshi';
const BENCH_TOWN_COMMUNITIES = ['qingshi-sq', 'liuhe-sq', 'dongpo-c'];
export const EXTRA_STAFF_COUNT = 20;

/** Provisions the extra towns and adds community staff to the bench town, the way the seed does. */
export async function addFixtures(now: string): Promise<void> {
  for (const t of EXTRA_TOWNS) await provisionTown(t.townId, t.spec, 'county.admin', now);
  const town = forTown(BENCH_TOWN);
  for (let i = 1; i <= EXTRA_STAFF_COUNT; i++) {
    const no = String(i).padStart(2, '0');
    const community = BENCH_TOWN_COMMUNITIES[i % BENCH_TOWN_COMMUNITIES.length] as string;
    await town.addStaff(
      {
        userId: `qs-staff-${no}`,
        username: `${BENCH_TOWN}.staff${no}`,
        displayName: personName(100 + i),
        role: 'community_staff',
        communityIds: [community],
        gridIds: [],
        posts: [],
      },
      `${BENCH_TOWN}.admin`,
      now,
    );
  }
}

/**
 * A grid the sample book fills past a page: 柳河社区 第二网格 holds 27 of its households and 86 of its
 * people, so the book's listings are measured on full pages of real records.
 */
export const LIST_GRID = 'lh-g2';

type Call = Parameters<typeof importWhole>[0];

/**
 * Imports the shared sample book (the GBK CSV: 400 people, 131 households) into the bench town through
 * the API, as a town admin would, before anything is measured.
 */
export async function importSampleBook(call: Call, token: string): Promise<ImportView> {
  const done = await importWhole(call, token, 'book.csv', sampleFile('book.csv'));
  if (done.stats.rows !== 400 || done.progress?.created !== 400)
    throw new Error(`the sample book imported as ${JSON.stringify(done.progress)}, not 400 new people`);
  return done;
}
