import { forTown, getItem, platformKeys, provisionTown, townKeys } from '@gridline/data';
import { orgOf } from '@gridline/data/org';
import { seedDemoDuties } from './seed-posts';
import { type Boundary, FIRST_ADMIN_SCOPE, type Role, type Staff, type StaffRole } from '@gridline/domain';
import { staffOf } from '@gridline/data/staff';
import type { LocalDirectory } from '@gridline/identity';
import { seedDemoTeam, type TeamSeedGrid } from './seed-team';
import { seedDemoMatters } from './seed-matters';
import { demoParticipant, seedDemoMediation } from './seed-mediation';
import { seedDemoTraining } from './seed-training';

/** The demo county: 云溪县 with three towns, named as real places and people would be. */
export const DEMO_PASSWORD = 'gridline-demo';
export const DEMO_COUNTY = { name: '云溪县', nameEn: 'Yunxi County' };

type DemoGrid = { id: string; name: string; code: string; courtyards: string[] };
type DemoCommunity = { id: string; name: string; kind: 'community' | 'village'; grids: DemoGrid[] };
type DemoTown = {
  townId: string;
  name: string;
  nameEn: string;
  kind: 'town' | 'subdistrict';
  admin: string;
  communities: DemoCommunity[];
  people: string[];
  /** Where the town's drawn grids lie (WGS 84, lon/lat), and which grids have a drawn boundary, west to east. */
  map?: { origin: [number, number]; grids: string[] };
};

const yards = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}栋`);

export const DEMO_TOWNS: DemoTown[] = [
  {
    townId: 'qingshi',
    name: '青石镇',
    nameEn: 'Qingshi Town',
    kind: 'town',
    admin: '王建国',
    communities: [
      {
        id: 'qingshi-sq',
        name: '青石社区',
        kind: 'community',
        grids: [
          { id: 'qs-g1', name: '第一网格', code: 'QS-01', courtyards: yards(4) },
          { id: 'qs-g2', name: '第二网格', code: 'QS-02', courtyards: yards(3) },
          { id: 'qs-g3', name: '第三网格', code: 'QS-03', courtyards: yards(3) },
        ],
      },
      {
        id: 'liuhe-sq',
        name: '柳河社区',
        kind: 'community',
        grids: [
          { id: 'lh-g1', name: '第一网格', code: 'LH-01', courtyards: yards(4) },
          { id: 'lh-g2', name: '第二网格', code: 'LH-02', courtyards: yards(4) },
        ],
      },
      {
        id: 'dongpo-c',
        name: '东坡村',
        kind: 'village',
        grids: [
          { id: 'dp-g1', name: '东坡一组网格', code: 'DP-01', courtyards: yards(3) },
          { id: 'dp-g2', name: '东坡二组网格', code: 'DP-02', courtyards: yards(3) },
        ],
      },
    ],
    people: ['李秀英', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周敏', '吴强', '徐婷', '孙浩', '梁玉兰'],
  },
  {
    townId: 'taoyuan',
    name: '桃源街道',
    nameEn: 'Taoyuan Subdistrict',
    kind: 'subdistrict',
    admin: '胡军',
    communities: [
      {
        id: 'taoyuan-sq',
        name: '桃源社区',
        kind: 'community',
        grids: [
          { id: 'ty-g1', name: '桃源一网格', code: 'TY-01', courtyards: ['桃园小区1号楼', '桃园小区2号楼', '桃园小区3号楼'] },
          { id: 'ty-g2', name: '桃源二网格', code: 'TY-02', courtyards: ['锦绣花园A座', '锦绣花园B座'] },
        ],
      },
      {
        id: 'huaxi-sq',
        name: '花溪社区',
        kind: 'community',
        grids: [{ id: 'hx-g1', name: '花溪网格', code: 'HX-01', courtyards: ['花溪苑1栋', '花溪苑2栋', '老街院落'] }],
      },
    ],
    people: ['朱琳', '高峰', '林芳', '何勇', '郭霞', '马超', '罗娟', '宋佳'],
    map: { origin: [120.081, 30.874], grids: ['ty-g1', 'ty-g2', 'hx-g1'] },
  },
  {
    townId: 'baisha',
    name: '白沙镇',
    nameEn: 'Baisha Town',
    kind: 'town',
    admin: '郑海燕',
    communities: [
      {
        id: 'baisha-sq',
        name: '白沙社区',
        kind: 'community',
        grids: [
          { id: 'bs-g1', name: '白沙东网格', code: 'BS-01', courtyards: yards(3) },
          { id: 'bs-g2', name: '白沙西网格', code: 'BS-02', courtyards: yards(2) },
        ],
      },
      {
        id: 'hekou-c',
        name: '河口村',
        kind: 'village',
        grids: [{ id: 'hk-g1', name: '河口网格', code: 'HK-01', courtyards: ['上湾院落', '下湾院落', '渡口院落'] }],
      },
    ],
    people: ['谢明', '韩雪', '唐建华', '冯丽娟', '邓涛', '曹颖', '彭志刚', '潘秀芳'],
    // 河口网格 has no drawn boundary yet: the map shows it as a schematic beside the drawn two.
    map: { origin: [120.193, 30.801], grids: ['bs-g1', 'bs-g2'] },
  },
];

/**
 * Demo grid boundaries: neighbouring grids in a row, each a slightly irregular quadrilateral about
 * 600 m by 550 m, sharing its side edges with its neighbours exactly, as a town's drawn grids do.
 * 青石镇 has none, so the demo shows both the drawn map and the schematic view.
 */
export function demoBoundaries(map: NonNullable<DemoTown['map']>): Map<string, Boundary> {
  const [lon0, lat0] = map.origin;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const wobble = (i: number, j: number) => (((i * 7 + j * 3) % 5) - 2) * 0.0006;
  const corner = (i: number, j: number): [number, number] => [
    round(lon0 + i * 0.006 + wobble(i, j)),
    round(lat0 + j * 0.005 + wobble(j, i) / 2),
  ];
  const out = new Map<string, Boundary>();
  map.grids.forEach((gridId, i) => {
    const [sw, se, ne, nw] = [corner(i, 0), corner(i + 1, 0), corner(i + 1, 1), corner(i, 1)];
    // The outer edges bend at their middle; the shared side edges stay straight so neighbours meet.
    const south: [number, number] = [round((sw[0] + se[0]) / 2), round((sw[1] + se[1]) / 2 - 0.0007)];
    const north: [number, number] = [round((nw[0] + ne[0]) / 2), round((nw[1] + ne[1]) / 2 + 0.0005 * (i % 2 ? 1 : -1))];
    out.set(gridId, { type: 'Polygon', coordinates: [[sw, south, se, ne, north, nw, sw]] });
  });
  return out;
}

export type DemoLogin = { username: string; role: Role; town?: string; displayName: string; note: string };

/** Whether the county already has towns (then the seed leaves it alone). */
export async function countyIsEmpty(): Promise<boolean> {
  return (await getItem(platformKeys.counters(), { consistent: true })) === undefined;
}

/**
 * Seeds the demo county: a county admin, then each town provisioned the way county IT would, with
 * its communities, grids, courtyards and staff of every role. Returns the logins to print.
 */
export async function seedDemoCounty(directory: LocalDirectory, now = new Date().toISOString()): Promise<DemoLogin[]> {
  const logins: DemoLogin[] = [];
  const countyAdmin = { username: 'county.admin', displayName: '县平台管理员 周立', role: 'county_admin' as const };
  await directory.ensureUser(countyAdmin, DEMO_PASSWORD);
  logins.push({ ...countyAdmin, note: 'county IT' });

  for (const t of DEMO_TOWNS) {
    const admin = { username: `${t.townId}.admin`, displayName: t.admin };
    // The first admin holds the key-group permission explicitly, as provisioning grants it (decision 15).
    await directory.ensureUser({ ...admin, role: 'town_admin', townId: t.townId, scope: FIRST_ADMIN_SCOPE }, DEMO_PASSWORD);
    await provisionTown(t.townId, { name: t.name, nameEn: t.nameEn, kind: t.kind, admin }, countyAdmin.username, now);
    logins.push({ ...admin, role: 'town_admin', town: t.townId, note: `${t.name} admin` });

    const town = forTown(t.townId);
    const people = [...t.people];
    const nextName = () => {
      const name = people.shift();
      if (!name) throw new Error(`the demo town ${t.townId} needs more staff names`);
      return name;
    };
    const addStaff = async (s: Omit<Staff, 'posts'> & { posts?: string[] }) => {
      await directory.ensureUser(
        {
          username: s.username,
          displayName: s.displayName,
          role: s.role,
          townId: t.townId,
          scope: { communities: s.communityIds, grids: s.gridIds },
        },
        DEMO_PASSWORD,
      );
      await town.addStaff({ posts: [], ...s }, admin.username, now);
    };

    // Community staff, the mediator and the auditor are invited as a town admin does on the team page
    // (the same data function as POST /town/staff), each with the demo password instead of a one-time one.
    const staff = staffOf({
      kind: 'town',
      userId: admin.username,
      username: admin.username,
      role: 'town_admin',
      townId: t.townId,
      scope: FIRST_ADMIN_SCOPE,
    });
    const inviteStaff = async (username: string, displayName: string, role: StaffRole, communityIds: string[]) => {
      await directory.ensureUser(
        { username, displayName, role, townId: t.townId, scope: { communities: communityIds, grids: [] } },
        DEMO_PASSWORD,
      );
      const { record } = await staff.prepareInvite({ username, name: displayName, role, communityIds });
      await staff.invite(record, now);
    };

    const boundaries = t.map ? demoBoundaries(t.map) : new Map<string, Boundary>();
    let gridNo = 0;
    const teamGrids: TeamSeedGrid[] = [];
    for (const c of t.communities) {
      await town.addCommunity({ communityId: c.id, name: c.name, kind: c.kind }, admin.username, now);
      const staffName = nextName();
      const staffUser = `${t.townId}.station${t.communities.indexOf(c) + 1}`;
      await inviteStaff(staffUser, staffName, 'community_staff', [c.id]);
      logins.push({ username: staffUser, role: 'community_staff', town: t.townId, displayName: staffName, note: `${c.name} station` });
      for (const g of c.grids) {
        gridNo += 1;
        const coordinator = `${t.townId}.grid${gridNo}`;
        await town.addGrid(
          { gridId: g.id, communityId: c.id, name: g.name, code: g.code, coordinatorUserId: coordinator },
          admin.username,
          now,
        );
        const boundary = boundaries.get(g.id);
        if (boundary) {
          // Drawn afterwards, as an admin would: the grid's history shows the boundary being set.
          const grid = await getItem<{ version: number }>(townKeys(t.townId).grid(g.id), { consistent: true });
          await orgOf(t.townId).changeGrid(g.id, grid?.version ?? 1, { boundary }, admin.username, now);
        }
        for (const [i, y] of g.courtyards.entries())
          await town.addCourtyard({ courtyardId: `${g.id}-y${i + 1}`, gridId: g.id, name: y }, admin.username, now);
        const name = nextName();
        await addStaff({
          userId: coordinator,
          username: coordinator,
          displayName: name,
          role: 'grid_coordinator',
          communityIds: [c.id],
          gridIds: [g.id],
          posts: gridNo % 2 ? ['mediator', 'security_info'] : ['sanitation', 'social_security'],
        });
        logins.push({ username: coordinator, role: 'grid_coordinator', town: t.townId, displayName: name, note: `${c.name}${g.name}` });
        teamGrids.push({
          gridId: g.id,
          communityId: c.id,
          coordinatorName: name,
          posts: gridNo % 2 ? ['mediator', 'security_info'] : ['sanitation', 'social_security'],
          username: coordinator,
        });
      }
    }
    // The team's records of those coordinators, as the town admin would record them (decision 65).
    await seedDemoTeam(t.townId, admin.username, teamGrids, now);
    // The written duties of the seven posts (定责), version 1 of each, in force from the day of the seed.
    await seedDemoDuties(t.townId, admin.username, now.slice(0, 10), now);
    // Its training ledger: courses of this year and their attendance, through the ledger's own functions.
    await seedDemoTraining(t.townId, admin.username, now);
    // Its matters in every state of the ladder, raised and handled by its own accounts (seed-matters.ts).
    const firstGrid = teamGrids[0];
    if (firstGrid?.username)
      await seedDemoMatters(
        t.townId,
        admin.username,
        { gridId: firstGrid.gridId, communityId: firstGrid.communityId, coordinator: firstGrid.username, station: `${t.townId}.station1` },
        now,
      );
    for (const role of ['mediator', 'auditor'] as const) {
      const username = `${t.townId}.${role}`;
      const name = nextName();
      await inviteStaff(username, name, role, []);
      logins.push({ username, role, town: t.townId, displayName: name, note: role === 'mediator' ? '调解中心' : '只读审计' });
    }
    // Its disputes in every state, and the judge invited to one of them (seed-mediation.ts).
    if (firstGrid?.username) {
      await seedDemoMediation(
        t.townId,
        admin.username,
        { gridId: firstGrid.gridId, communityId: firstGrid.communityId, coordinator: firstGrid.username, station: `${t.townId}.station1` },
        directory,
        DEMO_PASSWORD,
        now,
      );
      logins.push({ ...demoParticipant(t.townId), role: 'participant', town: t.townId, note: '联合调解参与人（受邀案件）' });
    }
  }
  return logins;
}
