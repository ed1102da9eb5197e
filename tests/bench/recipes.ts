import { platformKeys, runInScope, townKeys, townPrefix } from '@gridline/data';
import { blobStore } from '@gridline/data/blobs';
import { importsOf } from '@gridline/data/imports';
import { uploadObjectKeys } from '@gridline/data/uploads';
import { defaultCategorySla, newId, type TownSpec } from '@gridline/domain';
import { testIdNumber } from '../support/ids';
import { staffedCommunity } from '../support/staffed-community';
import { generateBook, sampleFile } from './books';
import type { Call as ObservedCall } from './capacity';
import { BENCH_TOWN, LIST_GRID } from './fixtures';
import { type ImportView, importView, uploadBody, waitForImport } from './imports';

/**
 * How the benchmark calls each route: a valid input, the status it must answer, and the class the
 * route's budget comes from. Keyed by route id; run.ts fails when a route of the route table has no
 * recipe here, so a new route cannot slip past the budgets unmeasured.
 *
 * - `no-data`: must not touch DynamoDB at all;
 * - `read-one`: reads one item (plus the town status check on town routes): ≤ 1 read unit in all;
 * - `list`: a page or a whole small partition: ≤ 1 read unit above the item-size lower bound;
 * - `write`: one change with its audit entries and counters: ≤ 10 write units;
 * - `write-indexed`: a population-book change that also keeps its index entries: ≤ 32 write units;
 * - `write-moving`: a person's move to another grid, which keeps both places' entries, counters and
 *   households' visit states in one transaction: ≤ 44 write units (decision 145);
 * - `provisioning`: the multi-item transaction that seeds a town: reported on its own, no budget, but
 *   a replay of the same request must write nothing;
 * - `read-one-consistent`: reads one item, but with a strongly consistent read of an item that grows
 *   with the uploaded file (an import's status): over the read-one budget by design, reported with the
 *   reason (report.ts, "Import routes"), no budget;
 * - `bulk`: a request whose work grows with the file or the book (an import preview, an error file, an
 *   export): reported, no budget.
 */
export type RouteClass =
  | 'no-data'
  | 'read-one'
  | 'read-one-consistent'
  | 'list'
  | 'write'
  | 'write-indexed'
  | 'write-moving'
  | 'provisioning'
  | 'bulk';

export type Key = { pk: string; sk: string };
type Json = Record<string, unknown>;
type Call = (
  method: string,
  path: string,
  o?: { token?: string; body?: unknown; query?: Record<string, string> },
) => Promise<{
  status: number;
  body: unknown;
}>;

export type Measurement = {
  /** Shown in the report; the route id, plus what differs when a route is measured twice. */
  label: string;
  class: RouteClass;
  params?: Record<string, string>;
  /** A function when it depends on an earlier measurement (a page cursor). */
  query?: Record<string, string> | (() => Record<string, string>);
  body?: unknown;
  status: number;
  /** Puts the data in the state the call needs (not measured). */
  prepare?: () => Promise<void>;
  /**
   * For lists: the keys of the stored items behind the response, for the lower bound. `stored` lists
   * every key in the table, for reads that take whole partitions (the map).
   */
  returned?: (body: unknown, stored: Key[]) => Key[];
  /** For paged lists: the page must be full, or the setup is wrong and the figure means nothing. */
  fullPage?: number;
  /** Sees the response (e.g. keeps a cursor for the next measurement). */
  after?: (body: unknown) => void;
  /**
   * The most Query calls the request may make, whatever the size of what it reads (the coverage matrix:
   * the grids and the post catalogue, never one Query per grid or post). Judged beside the class budget.
   */
  maxQueries?: number;
  /** A replayed provisioning request: must consume no write units. */
  replay?: boolean;
  /** Who calls, when not the area's usual caller (an invited participant's audited read). */
  as?: string;
  /**
   * For a request that starts work in the background: waits (through `call`, which the benchmark
   * watches) until that work is over, so it is not counted as the request's and cannot run into the
   * next measurement.
   */
  settle?: (body: unknown, call: ObservedCall) => Promise<void>;
  /**
   * The route hands its work to a job and waits for it (the county's recount: deployed, a synchronous
   * invocation of the jobs function, which works as the town; locally the same job in-process, in a
   * `job-` scope of its own). The job's calls are counted apart, as the job's, not the request's.
   */
  delegated?: boolean;
};

export const PAGE = 25;
export const NEW_TOWN = 'songlin';
const NEW_TOWN_SPEC: TownSpec = {
  name: '松林镇',
  nameEn: 'Songlin Town',
  kind: 'town',
  admin: { username: 'songlin.admin', displayName: '陆文博' },
};
/** The town suspended and resumed (not the bench town, whose admin calls the town routes). */
const STATUS_TOWN = 'taoyuan';

function obj(v: unknown, what: string): Json {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`expected an object for ${what}, got ${JSON.stringify(v)}`);
  return v as Json;
}
function list(v: unknown, what: string): Json[] {
  if (!Array.isArray(v)) throw new Error(`expected a list for ${what}, got ${JSON.stringify(v)}`);
  return v.map((x, i) => obj(x, `${what}[${i}]`));
}
function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`expected a string for ${what}, got ${JSON.stringify(v)}`);
  return v;
}
const pageItems = (body: unknown) => list(obj(body, 'page').items, 'page.items');

export function recipes(
  call: Call,
  countyToken: () => Promise<string>,
  townToken: () => Promise<string>,
  userToken: (username: string) => Promise<string> = async () => townToken(),
): Record<string, Measurement[]> {
  const tk = townKeys(BENCH_TOWN);
  const calendarBody = {
    year: 2027,
    source: 'bench notice',
    holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-14' }],
    makeUpWorkdays: ['2027-02-20'],
    version: 0,
  };
  const closuresBody = { closures: [{ from: '2027-07-14', reason: '台风' }], version: 0 };
  let townsCursor: string | undefined;

  /** Suspends or resumes the status town outside the measurement, so each status route has work to do. */
  const ensureStatus = (want: 'active' | 'suspended') => async () => {
    const token = await countyToken();
    const town = obj((await call('GET', `/admin/towns/${STATUS_TOWN}`, { token })).body, 'town');
    if (town.status === want) return;
    const action = want === 'active' ? 'resume' : 'suspend';
    const res = await call('POST', `/admin/towns/${STATUS_TOWN}/${action}`, { token });
    if (res.status !== 200) throw new Error(`could not ${action} ${STATUS_TOWN} before measuring: ${res.status}`);
  };

  /** Runs a period's county rollup outside the measurement, so the rollup routes have something to read. */
  const ensureRollup = (period: string) => async () => {
    const res = await call('POST', '/admin/rollups/run', { token: await countyToken(), body: { period } });
    if (res.status !== 200) throw new Error(`could not run the rollup of ${period} before measuring: ${res.status}`);
  };

  /** Creates an org record through the API outside the measurement; returns its id. */
  const fresh = async (path: string, body: Json, idField: string) => {
    const res = await call('POST', path, { token: await townToken(), body });
    if (res.status !== 201) throw new Error(`could not create ${path} before measuring: ${res.status}`);
    return str(obj(res.body, path)[idField], idField);
  };
  const newCommunity = () => fresh('/town/communities', { name: '基准社区', kind: 'community' }, 'communityId');
  const newGrid = async () => fresh('/town/grids', { communityId: await newCommunity(), name: '基准网格', code: 'BM-01' }, 'gridId');
  const newCourtyard = async () => fresh('/town/courtyards', { gridId: await newGrid(), name: '基准院落' }, 'courtyardId');
  /** A write measured on a record made just before it (params are filled in by `prepare`). */
  const onFresh = (label: string, idParam: string, make: () => Promise<string>, body: Json, status = 200): Measurement => {
    const params: Record<string, string> = {};
    const prepare = async () => {
      params[idParam] = await make();
    };
    return { label, class: 'write', params, body, status, prepare };
  };

  // Uploads: a slot, and a file placed where the form would have put it (the bench calls the API only).
  const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
  const PDF_SLOT = { purpose: 'attachment', fileName: '基准附件.pdf', contentType: 'application/pdf', size: PDF.length };
  const completeUpload: Record<string, string> = {};
  const linkUpload: Record<string, string> = {};
  const postedUpload = async () => {
    const res = await call('POST', '/town/uploads', { token: await townToken(), body: PDF_SLOT });
    if (res.status !== 201) throw new Error(`could not make an upload slot before measuring: ${res.status}`);
    const uploadId = str(obj(res.body, 'slot').uploadId, 'uploadId');
    await blobStore().put(uploadObjectKeys(BENCH_TOWN, uploadId).incoming, PDF);
    return uploadId;
  };

  // The population book: a household with three members in grid qs-g1, made before the measurements.
  const GRID = 'qs-g1';
  let idSequence = 1;
  const nextId = () => {
    idSequence += 2;
    return testIdNumber('330523', '1980-05-05', idSequence);
  };
  const member = (over: Json = {}) => ({
    name: '基准人员',
    gender: 'male',
    idNumber: nextId(),
    phone: '13812345678',
    relation: '户主',
    residenceType: 'registered',
    tags: ['elderly_alone'],
    keyTags: [],
    ...over,
  });
  const newHousehold = async () => fresh(`/town/grids/${GRID}/households`, { door: '1单元101室', courtyardId: 'qs-g1-y1' }, 'householdId');
  const newMember = async (householdId: string) => fresh(`/town/grids/${GRID}/households/${householdId}/people`, member(), 'personId');
  /** A household with members, for the reads; the params object is filled in by `prepare`. */
  const household: Record<string, string> = { gridId: GRID };
  const personParams: Record<string, string> = { gridId: GRID };
  const setUpHousehold = async () => {
    if (household.householdId) return;
    household.householdId = await newHousehold();
    for (let i = 0; i < 3; i++) personParams.personId = await newMember(household.householdId);
    personParams.householdId = household.householdId;
  };
  /** A fresh member of a fresh household for each write on a person. */
  const onFreshPerson = (label: string, body: Json, klass: RouteClass = 'write-indexed'): Measurement => {
    const params: Record<string, string> = { gridId: GRID };
    const prepare = async () => {
      params.householdId = await newHousehold();
      params.personId = await newMember(params.householdId);
    };
    return { label, class: klass, params, body, status: 200, prepare };
  };
  const personKey = (p: Json) => tk.person(str(p.gridId, 'gridId'), str(p.householdId, 'householdId'), str(p.personId, 'personId'));

  // Imports. The sample book (400 people, 131 households) is already in the book (fixtures.ts), so:
  // a generated book of 400 new people with 4 damaged rows is previewed (and never committed: its error
  // file is measured), and the sample is previewed again as XLSX, which changes nothing; that import is
  // the one read and committed, so its background run writes nothing but its own status.
  const NEW_BOOK_SERIES = 900;
  const freshUpload: Json = {};
  const againUpload: Json = {};
  const freshImport: Record<string, string> = {};
  const againImport: Record<string, string> = {};
  let freshBook: ReturnType<typeof generateBook> | undefined;
  const importKey = (p: Record<string, string>): Key => ({ pk: `${tk.prefix}IMPORT`, sk: p.importId as string });
  const expectStats = (label: string, v: ImportView, want: Partial<ImportView['stats']>) => {
    for (const [k, n] of Object.entries(want))
      if (v.stats[k as keyof ImportView['stats']] !== n)
        throw new Error(`${label}: the preview says ${k} = ${v.stats[k as keyof ImportView['stats']]}, the recipe expects ${n}`);
  };
  const previewFresh: Measurement = {
    label: 'book.import.preview (400 new people, 4 damaged rows; UTF-8 CSV)',
    class: 'bulk',
    body: freshUpload,
    status: 201,
    prepare: async () => {
      freshBook = generateBook({ series: 1, firstSeries: NEW_BOOK_SERIES, damage: true, fileName: 'bench-400-new.csv' });
      Object.assign(freshUpload, uploadBody(freshBook.fileName, freshBook.bytes));
    },
    after: (b) => {
      const v = importView(b, 'preview');
      const damagedRows = (freshBook?.damaged ?? []).map((d) => d.row);
      const refused = [...new Set(v.issues.map((i) => i.row))];
      if (refused.join(',') !== damagedRows.join(','))
        throw new Error(`the preview refused rows ${refused.join(', ')}, not the damaged rows ${damagedRows.join(', ')}`);
      expectStats('book.import.preview (new)', v, { rows: 400, rejected: damagedRows.length, create: 400 - damagedRows.length, update: 0 });
      freshImport.importId = v.importId;
    },
  };
  const previewAgain: Measurement = {
    label: 'book.import.preview (the sample as XLSX, 400 people already in the book)',
    class: 'bulk',
    body: againUpload,
    status: 201,
    prepare: async () => {
      Object.assign(againUpload, uploadBody('book.xlsx', sampleFile('book.xlsx')));
    },
    after: (b) => {
      const v = importView(b, 'preview');
      expectStats('book.import.preview (again)', v, { rows: 400, rejected: 0, unchanged: 400, newHouseholds: 0, newCourtyards: 0 });
      againImport.importId = v.importId;
    },
  };

  /**
   * A failed import of the sample (which changes nothing), outside the measurement: previewed through
   * the API, then queued and given no attempts through the data package, so its run marks it failed
   * as a run that stopped on every attempt would be.
   */
  const failedImport = (into: Record<string, string>) => async () => {
    const res = await call('POST', '/town/imports', { token: await townToken(), body: uploadBody('book.xlsx', sampleFile('book.xlsx')) });
    const importId = importView(res.body, 'preview for a failed import').importId;
    const admin = {
      kind: 'town' as const,
      townId: BENCH_TOWN,
      userId: 'bench',
      username: `${BENCH_TOWN}.admin`,
      role: 'town_admin' as const,
      scope: { communities: [], grids: [] },
    };
    await runInScope({ requestId: 'bench-prepare', tenant: BENCH_TOWN, allowedPrefixes: [townPrefix(BENCH_TOWN)] }, async () => {
      const imports = importsOf(admin);
      const now = new Date().toISOString();
      await imports.queue(importId, now);
      const failed = await imports.run(importId, now, { policy: { leaseMs: 1000, maxAttempts: 0 } });
      if (failed.status !== 'failed') throw new Error(`the import to resume or abandon is ${failed.status}, not failed`);
    });
    into.importId = importId;
  };
  const toResume: Record<string, string> = {};
  const toAbandon: Record<string, string> = {};

  /** The history of a grid changed a few times, so the page has events to read. */
  function historyOfAChangedGrid(): Measurement {
    const params: Record<string, string> = { kind: 'grid' };
    return {
      label: 'org.history (4 events)',
      class: 'list',
      params,
      query: { limit: String(PAGE) },
      status: 200,
      prepare: async () => {
        const id = await newGrid();
        params.id = id;
        for (const [version, name] of [
          [1, '甲'],
          [2, '乙'],
          [3, '丙'],
        ] as const)
          await call('PATCH', `/town/grids/${id}`, { token: await townToken(), body: { version, name: `基准网格${name}` } });
      },
      returned: (b) => pageItems(b).map((e) => tk.orgEvent(`GRID#${params.id}`, str(e.at, 'at'), str(e.eventId, 'eventId'))),
    };
  }

  // The team (issue 12): each step is measured on a person brought through the API to the stage before it.
  const TEAM_COMMUNITY = 'qingshi-sq';
  const RECOMMEND: Json = {
    name: '基准协管员',
    communityId: TEAM_COMMUNITY,
    recommendedBy: '居民代表会议',
    on: '2026-11-01',
    votes: 30,
    method: 'votes',
    // Sealed and masked like the book's (decision 74); the phone follows into the coverage (decision 75).
    idNumber: testIdNumber('330521', '1984-03-17', 271),
    phone: '13957001234',
  };
  const TEAM_STEPS = {
    inspect: { inspector: '基准考察人', on: '2026-11-10', findings: '群众基础好', passed: true },
    train: { on: '2026-11-20', courses: ['调解基础'], hours: 16, examPassed: true },
    appoint: { on: '2026-12-01', gridIds: [GRID], postIds: ['mediator'], documentNo: '基准〔2026〕1号' },
  } as const;
  const TEAM_ORDER = ['inspect', 'train', 'appoint'] as const;
  const TEAM_DONE = { candidate: 0, inspected: 1, trained: 2, appointed: 3 } as const;
  /** A new person on the team, taken through the steps up to `stage`; returns the record's id. */
  const newTeamMember = async (stage: keyof typeof TEAM_DONE) => {
    const id = await fresh('/town/team', RECOMMEND, 'coordinatorId');
    for (const s of TEAM_ORDER.slice(0, TEAM_DONE[stage])) {
      const res = await call('POST', `/town/team/${id}/${s}`, { token: await townToken(), body: TEAM_STEPS[s] });
      if (res.status !== 200) throw new Error(`could not ${s} ${id} before measuring: ${res.status}`);
    }
    return id;
  };
  /** A step measured on a fresh person at `stage`. */
  const onTeamMember = (label: string, stage: keyof typeof TEAM_DONE, body: Json, klass: RouteClass = 'write'): Measurement => {
    const params: Record<string, string> = {};
    return {
      label,
      class: klass,
      params,
      body,
      status: 200,
      prepare: async () => {
        params.coordinatorId = await newTeamMember(stage);
      },
    };
  };
  const teamRecord: Record<string, string> = {};
  const responsibleBody: Json = {};
  /** The community of 10 grids whose coverage is measured with every one of the 7 posts held in each grid. */
  const wideCoverage: Record<string, string> = {};

  // Posts and duties (定岗定责): each change is measured on a post added just before it.
  let postSequence = 0;
  const newPost = async () => {
    postSequence += 1;
    const postId = `bench_post_${postSequence}`;
    const res = await call('POST', '/town/posts', {
      token: await townToken(),
      body: { postId, label: { zh: `基准岗位${postSequence}`, en: `Bench post ${postSequence}` } },
    });
    if (res.status !== 201) throw new Error(`could not add the post ${postId} before measuring: ${res.status}`);
    return postId;
  };
  /** A post with `versions` versions of its duties written. */
  const postWithDuties = async (versions: number) => {
    const postId = await newPost();
    for (let v = 0; v < versions; v++) {
      const res = await call('PUT', `/town/posts/${postId}/duties`, {
        token: await townToken(),
        body: { version: v, text: `第${v + 1}版职责：调解纠纷，入户走访，按时上报。`, effectiveFrom: '2026-12-01' },
      });
      if (res.status !== 200) throw new Error(`could not write the duties of ${postId} before measuring: ${res.status}`);
    }
    return postId;
  };
  const postParams: Record<string, string> = {};
  const dutiesParams: Record<string, string> = {};

  // Staff (s8-staff): each write measured on a staff member invited (or disabled) just before.
  let staffSequence = 0;
  const newStaff = async (disabled = false): Promise<string> => {
    const username = `${BENCH_TOWN}.bench-staff-${Date.now() % 100_000}-${++staffSequence}`;
    const made = await call('POST', '/town/staff', {
      token: await townToken(),
      body: { username, name: '基准工作人员', role: 'mediator' },
    });
    if (made.status !== 201) throw new Error(`could not invite ${username} before measuring: ${made.status}`);
    if (disabled) {
      const off = await call('POST', `/town/staff/${username}/disable`, { token: await townToken(), body: { reason: '基准' } });
      if (off.status !== 200) throw new Error(`could not disable ${username} before measuring: ${off.status}`);
    }
    return username;
  };
  const inviteBody: Json = { name: '基准调解员', role: 'mediator' };
  const staffRecord: Record<string, string> = {};

  // The training ledger (issue 12): courses made through the API, one appointed coordinator listed.
  const TRAINING_YEAR = '2026';
  const COURSE: Json = { title: '基准培训课程', on: '2026-11-12', hours: 4, trainer: '基准授课人' };
  /** A fresh course, with a fresh appointed coordinator credited on it when `listed`; returns both ids. */
  const newCourse = async (listed: boolean) => {
    const courseId = await fresh('/town/training/courses', COURSE, 'courseId');
    const coordinatorId = await newTeamMember('appointed');
    if (listed) {
      const res = await call('PUT', `/town/training/courses/${courseId}/attendance`, {
        token: await townToken(),
        body: { version: 1, attendance: [{ coordinatorId, attended: true, result: 'passed' }] },
      });
      if (res.status !== 200) throw new Error(`could not list ${coordinatorId} on ${courseId} before measuring: ${res.status}`);
    }
    return { courseId, coordinatorId };
  };
  const courseParams: Record<string, string> = {};
  const attendanceParams: Record<string, string> = {};
  const attendanceBody: Json = {};
  const changeParams: Record<string, string> = {};
  const trainingPersonParams: Record<string, string> = { year: TRAINING_YEAR };

  // Matters (issue 13): a matter raised by the town admin in grid qs-g1, taken up the ladder to the
  // town by the grid's coordinator (accept, then skip to the town), so the admin acts on it.
  const MATTER: Json = {
    categoryId: 'sanitation',
    gridId: 'qs-g1',
    description: '基准事项：楼道堆放杂物',
    reporter: { name: '基准居民', phone: '13900001111' },
    urgency: 'normal',
    channel: 'walk_in',
  };
  const matterAct = async (token: string, id: string, version: number, body: Json) => {
    const res = await call('POST', `/town/matters/${id}/actions`, { token, body: { ...body, version } });
    if (res.status !== 200) throw new Error(`could not ${String(body.action)} ${id} before measuring: ${res.status}`);
    return Number(obj(obj(res.body, 'detail').matter, 'matter').version);
  };
  /** A fresh matter at the town level: open there, accepted by the admin, or resolved; its id and version. */
  const townMatter = async (stage: 'open' | 'accepted' | 'resolved') => {
    const made = await call('POST', '/town/matters', { token: await townToken(), body: MATTER });
    if (made.status !== 201) throw new Error(`could not raise a matter before measuring: ${made.status}`);
    const id = str(obj(obj(made.body, 'detail').matter, 'matter').matterId, 'matterId');
    const coordinator = await userToken(`${BENCH_TOWN}.grid1`);
    let v = await matterAct(coordinator, id, 1, { action: 'accept' });
    v = await matterAct(coordinator, id, v, { action: 'skip', to: 'town', reason: '基准：直接上报镇中心' });
    const admin = await townToken();
    if (stage !== 'open') v = await matterAct(admin, id, v, { action: 'accept' });
    if (stage === 'resolved') v = await matterAct(admin, id, v, { action: 'resolve', resolution: '基准：已处理' });
    return { id, version: v };
  };
  const matterParams: Record<string, string> = {};
  // Mediation (issue 15): disputes of grid qs-g1 (whose courtyard mediator is grid1) taken in by the town
  // admin, each with an outside party whose ID number and phone are sealed (a fresh number each time, so
  // no case repeats a party); the demo's judge is invited to the demo case qingshi-demo-m3.
  let caseSeq = 0;
  const caseIntake = (): Json => {
    caseSeq += 1;
    return {
      caseId: `bench-case-${Date.now() % 1_000_000}-${caseSeq}`,
      parties: [
        { name: '基准当事人甲', idNumber: testIdNumber('330523', '1970-01-01', 101 + 2 * caseSeq), phone: '13900002222' },
        { name: '基准当事人乙' },
      ],
      type: 'neighbour',
      gridId: 'qs-g1',
      summary: '基准纠纷：楼上漏水，邻里争执',
      risk: { level: 'medium' },
      foundBy: { how: 'walk_in' },
      level: 'courtyard',
    };
  };
  const takeInBody: Json = {};
  const caseParams: Record<string, string> = {};
  const caseStep: Json = {};
  const judgeCase = { caseId: `${BENCH_TOWN}-demo-m3` };
  const settingsBody: Json = {};
  const refill = (target: Json, values: Json) => {
    for (const key of Object.keys(target)) delete target[key];
    Object.assign(target, values);
  };
  const mediationSession = { action: 'session', on: '2026-12-05', place: '院落议事亭', attendees: ['双方当事人'], notes: '基准：双方陈述' };
  /** A fresh case at the courtyard of qs-g1 (with a session when asked): its id and version. */
  const freshCase = async (withSession = false) => {
    const made = await call('POST', '/town/mediation/cases', { token: await townToken(), body: caseIntake() });
    if (made.status !== 201) throw new Error(`could not take a case in before measuring: ${made.status}`);
    const c = obj(obj(made.body, 'detail').case, 'case');
    const id = str(c.caseId, 'caseId');
    let version = Number(c.version);
    if (withSession) {
      const res = await call('POST', `/town/mediation/cases/${id}/actions`, {
        token: await townToken(),
        body: { ...mediationSession, version },
      });
      if (res.status !== 200) throw new Error(`could not hold a session before measuring: ${res.status}`);
      version = Number(obj(obj(res.body, 'detail').case, 'case').version);
    }
    return { id, version };
  };
  /** A measurement of one step on a fresh case. */
  const caseStepOn = (label: string, step: Json, withSession = false): Measurement => ({
    label,
    class: 'write-indexed',
    params: caseParams,
    body: caseStep,
    status: 200,
    prepare: async () => {
      const c = await freshCase(withSession);
      caseParams.caseId = c.id;
      refill(caseStep, { ...step, version: c.version });
    },
  });
  // Household visits (issue 14): the book household above (three members tagged elderly_alone), visited
  // by the town admin; a fresh visit id per measurement, the same one again for the replay.
  const houseVisit: Json = {};
  const prepareVisit = async () => {
    await setUpHousehold();
    Object.assign(houseVisit, {
      visitId: newId(),
      gridId: GRID,
      householdId: household.householdId,
      visitedAt: new Date().toISOString(),
      kind: 'routine',
      seen: [],
      checks: [],
    });
  };
  const actBody: Json = {};
  const visitBody: Json = {};
  const categoryParams: Record<string, string> = {};
  const historyParams: Record<string, string> = {};
  let categorySeq = 0;
  const ladderBody: Json = {};
  // Visits, administration (issue 14).
  const cyclesBody: Json = {};
  const correctionParams: Record<string, string> = {};
  const correctionBody: Json = {};
  const decisionBody: Json = { version: 1, decision: 'accept' };
  /** A person living in the bench grid, for a correction of the book. */
  const bookPerson = async () => {
    const page = await call('GET', `/town/grids/${GRID}/people`, { token: await townToken(), query: { limit: '5' } });
    const p = pageItems(page.body).find((x) => x.status === 'active');
    if (!p) throw new Error(`no active person in ${GRID} to correct before measuring`);
    return { gridId: GRID, householdId: str(p.householdId, 'householdId'), personId: str(p.personId, 'personId') };
  };
  const openCorrection = async () => {
    const made = await call('POST', '/town/book-corrections', {
      token: await userToken(`${BENCH_TOWN}.grid1`),
      body: { kind: 'phone', ...(await bookPerson()), phone: '13900002222' },
    });
    if (made.status !== 201) throw new Error(`could not propose a correction before measuring: ${made.status}`);
    return str(obj(made.body, 'correction').correctionId, 'correctionId');
  };
  /** Waits until the recompute a cycles save started is over, so it is not counted as the next request's. */
  const waitForRecompute = async (c: ObservedCall) => {
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      const v = obj((await c('GET', '/town/visit-cycles', { token: await townToken() })).body, 'cycles');
      const status = (v.recompute as Json | undefined)?.status;
      if (status === 'done') return;
      if (status === 'failed') throw new Error('the visit-cycles recompute failed');
      if (Date.now() > deadline) throw new Error('the visit-cycles recompute did not finish in time');
      await new Promise((ok) => setTimeout(ok, 250));
    }
  };

  return {
    'book.household.create': [
      {
        label: 'book.household.create',
        class: 'write-indexed',
        params: { gridId: GRID },
        body: { door: '2单元201室', courtyardId: 'qs-g1-y2', code: 'BM-H-1' },
        status: 201,
      },
    ],
    'book.household.list': [
      {
        label: `book.household.list (${LIST_GRID}, page 1)`,
        class: 'list',
        params: { gridId: LIST_GRID },
        query: { limit: String(PAGE) },
        status: 200,
        fullPage: PAGE,
        returned: (b) => pageItems(b).map((h) => tk.household(LIST_GRID, str(h.householdId, 'householdId'))),
      },
    ],
    'book.household.get': [
      {
        label: 'book.household.get (3 members)',
        class: 'list',
        params: household,
        status: 200,
        prepare: setUpHousehold,
        returned: (b) => [tk.household(GRID, household.householdId as string), ...list(obj(b, 'card').members, 'members').map(personKey)],
      },
    ],
    // A fresh household of one member moved to another courtyard: the member's record and counters follow.
    'book.household.change': [
      onFreshPerson('book.household.change (new courtyard and door, 1 member)', {
        version: 1,
        courtyardId: 'qs-g1-y3',
        door: '1单元102室',
      }),
    ],
    // A fresh household nobody lives in, closed: the record (and its courtyard index entry), its audit entry and three counters.
    'book.household.close': [
      (() => {
        const params: Record<string, string> = { gridId: GRID };
        const prepare = async () => {
          params.householdId = await newHousehold();
        };
        return {
          label: 'book.household.close',
          class: 'write-indexed' as const,
          params,
          body: { version: 1, reason: 'dissolved', on: '2026-11-21' },
          status: 200,
          prepare,
        };
      })(),
    ],
    'book.person.create': [
      {
        label: 'book.person.create (1 tag)',
        class: 'write-indexed',
        params: household,
        body: member({ name: '新成员' }),
        status: 201,
        prepare: setUpHousehold,
      },
    ],
    'book.person.list': [
      {
        label: `book.person.list (${LIST_GRID}, page 1)`,
        class: 'list',
        params: { gridId: LIST_GRID },
        query: { limit: String(PAGE) },
        status: 200,
        fullPage: PAGE,
        returned: (b) => pageItems(b).map(personKey),
      },
    ],
    'book.person.get': [
      {
        label: 'book.person.get',
        class: 'list',
        params: personParams,
        status: 200,
        prepare: setUpHousehold,
        returned: (b) => [
          personKey(obj(obj(b, 'detail').person, 'person')),
          ...list(obj(b, 'detail').events, 'events').map((e) =>
            tk.personEvent(personParams.personId as string, str(e.at, 'at'), str(e.eventId, 'eventId')),
          ),
        ],
      },
    ],
    'book.person.change': [
      onFreshPerson('book.person.change (phone, tags)', { version: 1, phone: '13900001111', tags: ['elderly_alone', 'disabled'] }),
    ],
    'book.person.move': [
      (() => {
        const m = onFreshPerson('book.person.move (to another grid)', {}, 'write-moving');
        const base = m.prepare as () => Promise<void>;
        const body: Json = { version: 1, kind: 'to_household', on: '2026-11-20', toGridId: 'qs-g2' };
        return {
          ...m,
          body,
          prepare: async () => {
            await base();
            body.toHouseholdId = await fresh('/town/grids/qs-g2/households', { door: '3单元301室' }, 'householdId');
          },
        };
      })(),
    ],
    'book.person.close': [onFreshPerson('book.person.close', { version: 1, reason: 'moved_away', on: '2026-11-21' })],
    'book.person.reveal': [onFreshPerson('book.person.reveal', { field: 'idNumber', reason: '基准测试核对' }, 'write')],
    'book.person.search': [
      (() => {
        const body: Json = { by: 'idNumber' };
        return {
          label: 'book.person.search (by ID number)',
          class: 'list' as const,
          body,
          status: 200,
          prepare: async () => {
            await setUpHousehold();
            const id = nextId();
            body.idNumber = id;
            await call('POST', `/town/grids/${GRID}/households/${household.householdId as string}/people`, {
              token: await townToken(),
              body: member({ idNumber: id }),
            });
          },
          returned: (b: unknown) => pageItems(b).map(personKey),
        };
      })(),
    ],
    'book.map': [
      {
        label: 'book.map (org chart + counters, two partitions)',
        class: 'list',
        status: 200,
        // The map reads the whole org chart and the whole counter partition: that is its lower bound.
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.orgPk || k.pk === tk.countersPk),
      },
    ],
    'book.import.preview': [previewFresh, previewAgain],
    'book.import.get': [
      {
        label: 'book.import.get (clean file)',
        class: 'read-one-consistent',
        params: againImport,
        status: 200,
        returned: () => [importKey(againImport)],
      },
      {
        label: 'book.import.get (4 rows refused)',
        class: 'read-one-consistent',
        params: freshImport,
        status: 200,
        returned: () => [importKey(freshImport)],
      },
    ],
    'book.import.commit': [
      {
        label: 'book.import.commit (queues a re-import that changes nothing)',
        class: 'write',
        params: againImport,
        status: 202,
        settle: async (_b, c) => {
          const done = await waitForImport(c, await townToken(), againImport.importId as string);
          const p = done.progress ?? { unchanged: 0, created: 0, updated: 0, failed: 0 };
          if (p.unchanged !== 400 || p.created + p.updated + p.failed > 0)
            throw new Error(`the re-import was to change nothing, but its run reports ${JSON.stringify(p)}`);
        },
      },
    ],
    'book.import.errors': [
      { label: 'book.import.errors (4 bad rows of 400, xlsx)', class: 'bulk', params: freshImport, query: { format: 'xlsx' }, status: 200 },
    ],
    'book.import.list': [
      {
        label: 'book.import.list (first page, newest first)',
        class: 'list',
        query: { limit: '5' },
        status: 200,
        returned: (b) => pageItems(b).map((i) => importKey({ importId: str(i.importId, 'importId') })),
      },
    ],
    'book.import.resume': [
      {
        label: 'book.import.resume (a failed re-import that changes nothing)',
        class: 'write',
        params: toResume,
        status: 202,
        prepare: failedImport(toResume),
        settle: async (_b, c) => {
          await waitForImport(c, await townToken(), toResume.importId as string);
        },
      },
    ],
    'book.import.abandon': [
      { label: 'book.import.abandon (a failed import)', class: 'write', params: toAbandon, status: 200, prepare: failedImport(toAbandon) },
    ],
    'book.export': [
      {
        label: 'book.export (whole book, xlsx)',
        class: 'bulk',
        query: { format: 'xlsx' },
        status: 200,
        after: (b) => {
          const people = obj(b, 'export').people;
          if (typeof people !== 'number' || people < 400)
            throw new Error(`the export holds ${String(people)} people, fewer than the sample`);
        },
      },
      { label: `book.export (grid ${LIST_GRID}, csv)`, class: 'bulk', query: { format: 'csv', gridId: LIST_GRID }, status: 200 },
    ],
    'org.community.create': [{ label: 'org.community.create', class: 'write', body: { name: '基准社区', kind: 'community' }, status: 201 }],
    'org.community.rename': [onFresh('org.community.rename', 'communityId', newCommunity, { version: 1, name: '基准社区（新）' })],
    'org.community.retire': [onFresh('org.community.retire', 'communityId', newCommunity, { version: 1 })],
    'org.grid.create': [
      { label: 'org.grid.create', class: 'write', body: { communityId: 'qingshi-sq', name: '基准网格', code: 'BM-02' }, status: 201 },
    ],
    'org.grid.change': [onFresh('org.grid.change', 'gridId', newGrid, { version: 1, name: '基准网格（新）', code: 'BM-03' })],
    'org.grid.move': [onFresh('org.grid.move', 'gridId', newGrid, { version: 1, communityId: 'qingshi-sq' })],
    'org.grid.retire': [onFresh('org.grid.retire', 'gridId', newGrid, { version: 1 })],
    'org.grid.coordinator': [onFresh('org.grid.coordinator', 'gridId', newGrid, { version: 1, username: `${BENCH_TOWN}.grid1` })],
    'org.courtyard.create': [{ label: 'org.courtyard.create', class: 'write', body: { gridId: 'qs-g1', name: '基准院落' }, status: 201 }],
    'org.courtyard.rename': [onFresh('org.courtyard.rename', 'courtyardId', newCourtyard, { version: 1, name: '基准院落（新）' })],
    'org.courtyard.move': [onFresh('org.courtyard.move', 'courtyardId', newCourtyard, { version: 1, gridId: 'qs-g1' })],
    'org.courtyard.retire': [onFresh('org.courtyard.retire', 'courtyardId', newCourtyard, { version: 1 })],
    'org.history': [historyOfAChangedGrid()],
    // The team (issue 12). A step that changes who holds what also rewrites the community's coverage item
    // (its index, like a person's tag entries): write-indexed (decision 61).
    'team.list': [
      {
        label: 'team.list (first page)',
        class: 'list',
        query: { limit: String(PAGE) },
        status: 200,
        prepare: async () => {
          await newTeamMember('candidate');
        },
        returned: (b) => pageItems(b).map((m) => tk.teamMember(str(m.coordinatorId, 'coordinatorId'))),
      },
    ],
    'team.recommend': [{ label: 'team.recommend', class: 'write', body: RECOMMEND, status: 201 }],
    'team.get': [
      {
        label: 'team.get (an appointed coordinator, 4 events)',
        class: 'list',
        params: teamRecord,
        status: 200,
        prepare: async () => {
          teamRecord.coordinatorId = await newTeamMember('appointed');
        },
        returned: (b) => {
          const id = str(teamRecord.coordinatorId, 'coordinatorId');
          return [
            tk.teamMember(id),
            ...list(obj(b, 'record').history, 'history').map((e) => tk.teamEvent(id, str(e.at, 'at'), str(e.eventId, 'eventId'))),
          ];
        },
      },
    ],
    'team.inspect': [onTeamMember('team.inspect', 'candidate', TEAM_STEPS.inspect)],
    'team.train': [onTeamMember('team.train', 'inspected', TEAM_STEPS.train)],
    'team.appoint': [onTeamMember('team.appoint', 'trained', TEAM_STEPS.appoint, 'write-indexed')],
    'team.transfer': [
      onTeamMember(
        'team.transfer',
        'appointed',
        { on: '2026-12-03', gridIds: ['qs-g2'], postIds: ['sanitation'], reason: '工作需要' },
        'write-indexed',
      ),
    ],
    'team.leave': [
      onTeamMember('team.leave (an appointed coordinator)', 'appointed', { on: '2026-12-04', reason: '个人原因' }, 'write-indexed'),
    ],
    'team.dismiss': [onTeamMember('team.dismiss', 'appointed', { on: '2026-12-04', reason: '考核不合格' }, 'write-indexed')],
    'team.override': [onTeamMember('team.override (waive inspection)', 'candidate', { step: 'inspect', reason: '县里统一考察' })],
    'team.coverage': [
      {
        label: 'team.coverage (a community of 3 grids, 7 posts)',
        class: 'list',
        params: { communityId: TEAM_COMMUNITY },
        status: 200,
        prepare: async () => {
          await newTeamMember('appointed');
        },
        // The coverage item, the post catalogue (one Query of its posts) and the town's grids (one Query of the org partition's grids).
        returned: (_b, stored) => [
          tk.teamCoverage(TEAM_COMMUNITY),
          ...stored.filter((k) => k.pk === tk.postsPk && k.sk.startsWith('P#')),
          ...stored.filter((k) => k.pk === tk.orgPk && k.sk.startsWith('GRID#')),
        ],
        maxQueries: 2,
      },
      {
        // Issue 12: a community of 10 grids and 7 posts, every post held in every grid, reads in one or two Queries within the list budget.
        label: 'team.coverage (a community of 10 grids, 7 posts, all held)',
        class: 'list',
        params: wideCoverage,
        status: 200,
        prepare: async () => {
          const c = await staffedCommunity(call, await townToken(), { name: '基准覆盖社区', code: 'BW', grids: 10 });
          wideCoverage.communityId = c.communityId;
        },
        after: (b) => {
          const m = obj(b, 'coverage');
          if (list(m.grids, 'grids').length !== 10 || list(m.posts, 'posts').length < 7 || (m.postsUnheld as unknown[]).length !== 0)
            throw new Error('the wide coverage fixture is not 10 grids with every post held');
        },
        returned: (_b, stored) => [
          tk.teamCoverage(str(wideCoverage.communityId, 'communityId')),
          ...stored.filter((k) => k.pk === tk.postsPk && k.sk.startsWith('P#')),
          ...stored.filter((k) => k.pk === tk.orgPk && k.sk.startsWith('GRID#')),
        ],
        maxQueries: 2,
      },
    ],
    'posts.list': [
      {
        label: 'posts.list (the catalogue with current duties)',
        class: 'list',
        status: 200,
        prepare: async () => {
          await postWithDuties(1);
        },
        // The whole catalogue partition: each post and its current duties, one Query.
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.postsPk),
      },
    ],
    'posts.add': [
      {
        label: 'posts.add',
        class: 'write',
        body: { postId: 'bench_added', label: { zh: '基准新岗位', en: 'Bench added post' } },
        status: 201,
      },
    ],
    'posts.get': [
      {
        label: 'posts.get (2 duties versions, 3 events)',
        class: 'list',
        params: postParams,
        status: 200,
        prepare: async () => {
          postParams.postId = await postWithDuties(2);
        },
        returned: (_b, stored) => {
          const id = str(postParams.postId, 'postId');
          return [tk.post(id), ...stored.filter((k) => k.pk === tk.postLogPk(id))];
        },
      },
    ],
    'posts.change': [
      onFresh('posts.change (rename)', 'postId', newPost, { version: 1, label: { zh: '基准岗位（新）', en: 'Bench post (new)' } }),
    ],
    'posts.duties.write': [
      onFresh('posts.duties.write (version 1)', 'postId', newPost, {
        version: 0,
        text: '调解纠纷，入户走访。',
        effectiveFrom: '2026-12-01',
      }),
    ],
    'posts.duties.get': [
      {
        label: 'posts.duties.get',
        class: 'read-one',
        params: dutiesParams,
        status: 200,
        prepare: async () => {
          dutiesParams.postId = await postWithDuties(1);
          dutiesParams.version = '1';
        },
      },
    ],
    'team.responsible': [
      {
        label: 'team.responsible (replacing the one named before)',
        class: 'write-indexed',
        params: { gridId: GRID },
        body: responsibleBody,
        status: 200,
        prepare: async () => {
          const first = await newTeamMember('appointed');
          const res = await call('PUT', `/town/grids/${GRID}/responsible`, { token: await townToken(), body: { coordinatorId: first } });
          if (res.status !== 200) throw new Error(`could not name ${first} before measuring: ${res.status}`);
          responsibleBody.coordinatorId = await newTeamMember('appointed');
        },
      },
    ],
    'training.course.create': [{ label: 'training.course.create', class: 'write', body: COURSE, status: 201 }],
    'training.course.get': [
      {
        label: 'training.course.get (one person listed)',
        class: 'list',
        params: courseParams,
        status: 200,
        prepare: async () => {
          Object.assign(courseParams, await newCourse(true));
          delete courseParams.coordinatorId;
        },
        returned: (b) => {
          const id = str(courseParams.courseId, 'courseId');
          return [
            tk.course(id),
            ...list(obj(b, 'course').attendance, 'attendance').map((a) => tk.attendance(id, str(a.coordinatorId, 'id'))),
          ];
        },
      },
    ],
    // Besides the course, its ledger row and each total that shows it change with it: like index entries.
    'training.course.change': [
      {
        label: "training.course.change (new hours, one person's total follows)",
        class: 'write-indexed',
        params: changeParams,
        body: { version: 2, hours: 6 },
        status: 200,
        prepare: async () => {
          changeParams.courseId = (await newCourse(true)).courseId;
        },
      },
    ],
    'training.attendance': [
      {
        label: 'training.attendance (one person credited)',
        class: 'write-indexed',
        params: attendanceParams,
        body: attendanceBody,
        status: 200,
        prepare: async () => {
          const { courseId, coordinatorId } = await newCourse(false);
          attendanceParams.courseId = courseId;
          Object.assign(attendanceBody, { version: 1, attendance: [{ coordinatorId, attended: true, result: 'passed' }] });
        },
      },
    ],
    'training.year': [
      {
        label: "training.year (the year's courses and totals, one Query)",
        class: 'list',
        params: { year: TRAINING_YEAR },
        status: 200,
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.trainingYearPk(Number(TRAINING_YEAR))),
      },
    ],
    'training.export': [{ label: 'training.export (the year, xlsx)', class: 'bulk', params: { year: TRAINING_YEAR }, status: 200 }],
    'training.person': [
      {
        label: "training.person (a person's year: one item)",
        class: 'read-one',
        params: trainingPersonParams,
        status: 200,
        prepare: async () => {
          trainingPersonParams.coordinatorId = (await newCourse(true)).coordinatorId;
        },
      },
    ],
    'team.reveal': [
      onTeamMember('team.reveal (the phone, on the book allowance)', 'candidate', { field: 'phone', reason: '基准测试核对' }),
    ],
    // An appointed coordinator: the record (version 4 after recommend, inspect, train, appoint) and the coverage copy.
    'team.phone': [
      onTeamMember('team.phone (an appointed coordinator)', 'appointed', { phone: '0572-88001234', version: 4 }, 'write-indexed'),
    ],
    'team.contacts': [
      {
        label: 'team.contacts (who to call in a community: its coverage item alone)',
        class: 'list',
        params: { communityId: TEAM_COMMUNITY },
        status: 200,
        prepare: async () => {
          await newTeamMember('appointed');
        },
        returned: () => [tk.teamCoverage(TEAM_COMMUNITY)],
      },
    ],
    health: [{ label: 'health', class: 'no-data', status: 200 }],
    // Readiness reads one key that never holds data: half a read unit.
    'health.ready': [{ label: 'health.ready', class: 'read-one', status: 200 }],
    openapi: [{ label: 'openapi', class: 'no-data', status: 200 }],

    'county.summary': [{ label: 'county.summary', class: 'read-one', status: 200 }],

    // The working-day calendar (issue 13). A county save copies the year into every town: whole-county work.
    'calendar.list': [{ label: 'calendar.list', class: 'read-one', status: 200 }],
    'calendar.get': [{ label: 'calendar.get (2026, shipped)', class: 'read-one-consistent', params: { year: '2026' }, status: 200 }],
    'calendar.put': [
      {
        label: 'calendar.put (2027, copied into every town)',
        class: 'bulk',
        params: { year: '2027' },
        body: calendarBody,
        status: 200,
        prepare: async () => {
          const res = await call('GET', '/admin/calendars/2027', { token: await countyToken() });
          calendarBody.version = res.status === 200 ? Number(obj(res.body, 'calendar').version) : 0;
        },
      },
    ],
    // The town's status, its CONFIG copies (one Query) and its closures (one GetItem): reported.
    'calendar.town': [{ label: 'calendar.town (2027)', class: 'bulk', query: { year: '2027' }, status: 200 }],
    'calendar.closures.get': [{ label: 'calendar.closures.get', class: 'read-one-consistent', status: 200 }],
    'calendar.closures.put': [
      {
        label: 'calendar.closures.put (one closure)',
        class: 'write',
        body: closuresBody,
        status: 200,
        prepare: async () => {
          const res = await call('GET', '/town/closures', { token: await townToken() });
          closuresBody.version = Number(obj(res.body, 'closures').version);
        },
      },
    ],

    // County rollups (issue 4): whole-county work, O(towns) items, reported without a budget.
    'rollups.run': [{ label: 'rollups.run (2026-11, every town)', class: 'bulk', body: { period: '2026-11' }, status: 200 }],
    'rollups.show': [
      { label: 'rollups.show (2026-11)', class: 'bulk', query: { period: '2026-11' }, status: 200, prepare: ensureRollup('2026-11') },
    ],
    'rollups.trend': [
      {
        label: 'rollups.trend (people, 12 months)',
        class: 'bulk',
        query: { metric: 'people', kind: 'month', to: '2026-11' },
        status: 200,
        prepare: ensureRollup('2026-11'),
      },
    ],
    'rollups.file': [
      {
        label: 'rollups.file (2026-11, xlsx)',
        class: 'bulk',
        params: { period: '2026-11' },
        query: { format: 'xlsx' },
        status: 200,
        prepare: ensureRollup('2026-11'),
      },
    ],

    'towns.list': [
      {
        label: 'towns.list (page 1)',
        class: 'list',
        query: { limit: String(PAGE) },
        status: 200,
        fullPage: PAGE,
        returned: (b) => pageItems(b).map((t) => platformKeys.town(str(t.townId, 'townId'))),
        after: (b) => {
          townsCursor = str(obj(b, 'page').nextCursor, 'nextCursor');
        },
      },
      {
        label: 'towns.list (page 2, by cursor)',
        class: 'list',
        query: () => ({ limit: String(PAGE), cursor: townsCursor ?? '' }),
        status: 200,
        fullPage: PAGE,
        returned: (b) => pageItems(b).map((t) => platformKeys.town(str(t.townId, 'townId'))),
      },
    ],

    'towns.put': [
      {
        label: 'towns.put (new town)',
        class: 'provisioning',
        params: { townId: NEW_TOWN },
        body: NEW_TOWN_SPEC,
        status: 201,
      },
      {
        label: 'towns.put (same spec again)',
        class: 'provisioning',
        params: { townId: NEW_TOWN },
        body: NEW_TOWN_SPEC,
        status: 200,
        replay: true,
      },
    ],

    'towns.get': [{ label: 'towns.get', class: 'read-one', params: { townId: BENCH_TOWN }, status: 200 }],

    'towns.suspend': [
      { label: 'towns.suspend', class: 'write', params: { townId: STATUS_TOWN }, status: 200, prepare: ensureStatus('active') },
    ],

    'towns.resume': [
      { label: 'towns.resume', class: 'write', params: { townId: STATUS_TOWN }, status: 200, prepare: ensureStatus('suspended') },
    ],
    'towns.reconcile': [
      {
        label: 'towns.reconcile (bench town, counts only)',
        class: 'bulk',
        delegated: true,
        params: { townId: BENCH_TOWN },
        body: { fix: false },
        status: 200,
      },
    ],

    'town.me': [{ label: 'town.me', class: 'read-one', status: 200 }],

    'town.hierarchy': [
      {
        label: 'town.hierarchy',
        class: 'list',
        status: 200,
        returned: (b) =>
          list(obj(b, 'hierarchy').communities, 'communities').flatMap((c) => [
            tk.community(str(c.communityId, 'communityId')),
            ...list(c.grids, 'grids').flatMap((g) => [
              tk.grid(str(g.gridId, 'gridId')),
              ...list(g.courtyards, 'courtyards').map((y) => tk.courtyard(str(y.courtyardId, 'courtyardId'))),
            ]),
          ]),
      },
    ],

    'town.config': [
      {
        label: 'town.config',
        class: 'list',
        status: 200,
        returned: (b) => Object.keys(obj(b, 'config')).map((part) => tk.config(part)),
      },
    ],

    'town.summary': [{ label: 'town.summary', class: 'read-one', status: 200 }],

    // A recount reads the whole town's book (grid by grid), so it grows with the town: bulk, no budget.
    'town.reconcile': [{ label: 'town.reconcile (recount, no fix)', class: 'bulk', body: { fix: false }, status: 200 }],

    'staff.invite': [
      {
        label: 'staff.invite (a mediator)',
        class: 'write',
        body: inviteBody,
        status: 201,
        prepare: async () => {
          inviteBody.username = `${BENCH_TOWN}.bench-invite-${Date.now() % 100_000}-${++staffSequence}`;
        },
      },
    ],
    'staff.get': [
      {
        label: 'staff.get (a staff member invited, 1 event)',
        class: 'list',
        params: staffRecord,
        status: 200,
        prepare: async () => {
          staffRecord.username = await newStaff();
        },
        returned: (b) => {
          const username = str(staffRecord.username, 'username');
          return [
            tk.staff(username),
            ...list(obj(b, 'record').history, 'history').map((e) => tk.staffEvent(username, str(e.at, 'at'), str(e.eventId, 'eventId'))),
          ];
        },
      },
    ],
    'upload.create': [{ label: 'upload.create (a PDF attachment slot)', class: 'write', body: PDF_SLOT, status: 201 }],
    'upload.complete': [
      {
        label: 'upload.complete (a small PDF, checked and copied)',
        class: 'write',
        params: completeUpload,
        status: 200,
        prepare: async () => {
          completeUpload.uploadId = await postedUpload();
        },
      },
    ],
    'upload.link': [
      {
        // Read consistently so a link asked for right after `complete` never finds the upload pending.
        label: 'upload.link (a ready upload)',
        class: 'read-one-consistent',
        params: linkUpload,
        status: 200,
        prepare: async () => {
          linkUpload.uploadId = await postedUpload();
          const done = await call('POST', `/town/uploads/${linkUpload.uploadId}/complete`, { token: await townToken() });
          if (done.status !== 200) throw new Error(`could not complete an upload before measuring: ${done.status}`);
        },
        returned: () => [tk.upload(str(linkUpload.uploadId, 'uploadId'))],
      },
    ],
    'staff.change': [onFresh('staff.change (mediator to auditor)', 'username', () => newStaff(), { role: 'auditor', version: 1 })],
    'staff.disable': [onFresh('staff.disable', 'username', () => newStaff(), { reason: '离岗' })],
    'staff.enable': [onFresh('staff.enable (a disabled one)', 'username', () => newStaff(true), { reason: '复岗' })],
    'town.staff': [
      {
        label: 'town.staff (page 1)',
        class: 'list',
        query: { limit: String(PAGE) },
        status: 200,
        fullPage: PAGE,
        returned: (b) => pageItems(b).map((s) => tk.staff(str(s.username, 'username'))),
      },
    ],
    'visits.due': [
      {
        label: "visits.due (a grid's due list through a far day, one Query on gsi2)",
        class: 'list',
        query: { gridId: GRID, through: '2099-12-31', limit: String(PAGE) },
        status: 200,
        prepare: setUpHousehold,
        returned: (b) => pageItems(b).map((h) => tk.visitState(str(h.gridId, 'gridId'), str(h.householdId, 'householdId'))),
        maxQueries: 1,
      },
    ],
    'visits.household': [
      {
        label: 'visits.household (the state, its members in one Query, its latest visits in another)',
        class: 'list',
        params: household,
        status: 200,
        prepare: setUpHousehold,
        returned: (_b, stored) =>
          stored.filter(
            (k) =>
              (k.pk === tk.peoplePk(GRID) && k.sk.startsWith(`${household.householdId}#`)) ||
              k.pk === tk.visitsPk(GRID, String(household.householdId)) ||
              (k.pk === tk.householdsPk(GRID) && k.sk.endsWith(`#${household.householdId}`)),
          ),
        maxQueries: 2,
      },
    ],
    'visits.record': [
      {
        label: 'visits.record (the visit, the state at its version with its due moved, audit, month counters)',
        class: 'write-indexed',
        body: houseVisit,
        status: 201,
        prepare: prepareVisit,
      },
      {
        label: 'visits.record (the same visit again: answered from the store)',
        class: 'write-indexed',
        body: houseVisit,
        status: 200,
        replay: true,
      },
    ],
    'visits.mine': [
      {
        label: "visits.mine (the caller's visits, newest first, one Query on gsi2)",
        class: 'list',
        query: { limit: String(PAGE) },
        status: 200,
        returned: (b) =>
          pageItems(b).map((v) => tk.visit(str(v.gridId, 'gridId'), str(v.householdId, 'householdId'), str(v.visitId, 'visitId'))),
        maxQueries: 1,
      },
    ],
    'matters.raise': [{ label: 'matters.raise (with a sealed phone)', class: 'write-indexed', body: MATTER, status: 201 }],
    'matters.get': [
      {
        label: 'matters.get (the matter and its 4 timeline entries, one Query)',
        class: 'list',
        params: matterParams,
        status: 200,
        prepare: async () => {
          matterParams.matterId = (await townMatter('accepted')).id;
        },
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.matterPk(str(matterParams.matterId, 'matterId'))),
        maxQueries: 1,
      },
    ],
    'matters.act': [
      {
        label: 'matters.act (accept at the town)',
        class: 'write-indexed',
        params: matterParams,
        body: actBody,
        status: 200,
        prepare: async () => {
          const m = await townMatter('open');
          matterParams.matterId = m.id;
          Object.assign(actBody, { action: 'accept', version: m.version });
        },
      },
      {
        label: 'matters.act (satisfied return visit: closes, the stock counters move)',
        class: 'write-indexed',
        params: matterParams,
        body: visitBody,
        status: 200,
        prepare: async () => {
          const m = await townMatter('resolved');
          matterParams.matterId = m.id;
          Object.assign(visitBody, { action: 'return_visit', reachedBy: 'phone', satisfaction: 'satisfied', version: m.version });
        },
      },
    ],
    'matters.list': [
      {
        label: "matters.list (the town level's queue, one Query on gsi1)",
        class: 'list',
        query: { queue: 'level', level: 'town', limit: String(PAGE) },
        status: 200,
        returned: (b) => pageItems(b).map((m) => tk.matter(str(m.matterId, 'matterId'))),
        maxQueries: 1,
      },
    ],
    'matters.board': [{ label: "matters.board (the town's running clocks and its counters)", class: 'bulk', status: 200, maxQueries: 1 }],
    'matters.categories': [
      {
        label: 'matters.categories (the catalogue: remembered a minute per process, else one Query)',
        class: 'list',
        status: 200,
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.matterCategoriesPk),
      },
    ],
    'matters.category.save': [
      {
        label: 'matters.category.save (a new category and its history entry)',
        class: 'write',
        params: categoryParams,
        body: { label: { zh: '基准分类', en: 'Bench category' }, sla: defaultCategorySla(), inUse: true },
        status: 201,
        prepare: async () => {
          categorySeq += 1;
          categoryParams.categoryId = `bench-cat-${categorySeq}`;
        },
      },
    ],
    'matters.category.history': [
      {
        label: "matters.category.history (a category's saves)",
        class: 'list',
        params: historyParams,
        status: 200,
        prepare: async () => {
          categorySeq += 1;
          historyParams.categoryId = `bench-cat-${categorySeq}`;
          const res = await call('PUT', `/town/matter-categories/${historyParams.categoryId}`, {
            token: await townToken(),
            body: { label: { zh: '基准分类', en: 'Bench category' }, sla: defaultCategorySla(), inUse: true },
          });
          if (res.status !== 201) throw new Error(`could not add a category before measuring: ${res.status}`);
        },
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.matterCategoryLogPk(str(historyParams.categoryId, 'categoryId'))),
      },
    ],
    'matters.ladder': [{ label: 'matters.ladder (remembered a minute per process, else one GetItem)', class: 'read-one', status: 200 }],
    'matters.ladder.save': [
      {
        label: 'matters.ladder.save',
        class: 'write',
        body: ladderBody,
        status: 200,
        prepare: async () => {
          const now = obj((await call('GET', '/town/matter-ladder', { token: await townToken() })).body, 'ladder');
          Object.assign(ladderBody, {
            ladder: { levels: ['grid', 'community', 'town'], allowSkip: true, allowTransfer: true },
            version: now.version,
          });
        },
      },
    ],
    'visits.cycles': [
      {
        label: "visits.cycles (the cycles item, the town's tags, the latest run)",
        class: 'list',
        status: 200,
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.configPk),
      },
    ],
    'visits.cycles.save': [
      {
        label: 'visits.cycles.save (the item, its history entry, a queued recompute run)',
        class: 'write',
        body: cyclesBody,
        status: 200,
        prepare: async () => {
          const now = obj((await call('GET', '/town/visit-cycles', { token: await townToken() })).body, 'cycles');
          Object.assign(cyclesBody, { version: now.version, householdDays: now.householdDays, byTag: now.byTag });
        },
        settle: async (_b, c) => waitForRecompute(c),
      },
    ],
    'visits.cycles.history': [
      {
        label: "visits.cycles.history (the cycles' saves, one Query)",
        class: 'list',
        status: 200,
        returned: (_b, stored) =>
          stored
            .filter((k) => k.pk === tk.visitCyclesLogPk)
            .sort((a, b) => (a.sk < b.sk ? 1 : -1))
            .slice(0, 100),
        maxQueries: 2,
      },
    ],
    'visits.coverage': [
      {
        label: "visits.coverage (the org chart and its grids' counters, never a visit state)",
        class: 'bulk',
        status: 200,
        maxQueries: 1,
      },
    ],
    'visits.reminder': [{ label: "visits.reminder (the caller's reminder item)", class: 'read-one', status: 200 }],
    'corrections.propose': [
      {
        label: 'corrections.propose (a new phone, sealed)',
        class: 'write-indexed',
        body: correctionBody,
        status: 201,
        prepare: async () => {
          Object.assign(correctionBody, { kind: 'phone', ...(await bookPerson()), phone: '13900003333' });
        },
      },
    ],
    'corrections.list': [
      {
        label: 'corrections.list (open ones, one Query on gsi1)',
        class: 'list',
        query: { status: 'open', limit: String(PAGE) },
        status: 200,
        prepare: async () => {
          await openCorrection();
        },
        returned: (b) => pageItems(b).map((c) => tk.correction(str(c.correctionId, 'correctionId'))),
        maxQueries: 1,
      },
    ],
    'corrections.decide': [
      {
        label: "corrections.decide (accept a phone: the person's change in the same transaction)",
        class: 'write-indexed',
        params: correctionParams,
        body: decisionBody,
        status: 200,
        prepare: async () => {
          correctionParams.correctionId = await openCorrection();
        },
      },
    ],
    'mediation.take_in': [
      {
        label: 'mediation.take_in (an outside party sealed and hashed, its repeat-party entry, the case on its two lists)',
        class: 'write-indexed',
        body: takeInBody,
        status: 201,
        prepare: async () => refill(takeInBody, caseIntake()),
      },
      {
        label: 'mediation.take_in (the same request again: answered from the store)',
        class: 'write-indexed',
        body: takeInBody,
        status: 201,
      },
    ],
    'mediation.list': [
      {
        label: "mediation.list (the town's open cases, highest risk first, one Query on gsi2)",
        class: 'list',
        query: { view: 'open', limit: String(PAGE) },
        status: 200,
        returned: (b) => pageItems(b).map((c) => tk.mediationCase(str(c.caseId, 'caseId'))),
        maxQueries: 1,
      },
      {
        label: "mediation.list (an invited participant's cases: their invitations on gsi1, the cases, the read audited)",
        class: 'write',
        as: `${BENCH_TOWN}.judge`,
        query: { view: 'open', limit: String(PAGE) },
        status: 200,
      },
    ],
    'mediation.get': [
      {
        label: 'mediation.get (the case, its two timeline entries, one Query)',
        class: 'list',
        params: caseParams,
        status: 200,
        prepare: async () => {
          caseParams.caseId = (await freshCase(true)).id;
        },
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.mediationCasePk(str(caseParams.caseId, 'caseId'))),
        maxQueries: 1,
      },
      {
        label: 'mediation.get (by the invited participant: the read audited)',
        class: 'write',
        as: `${BENCH_TOWN}.judge`,
        params: judgeCase,
        status: 200,
      },
    ],
    'mediation.act': [
      caseStepOn('mediation.act (escalate to the community: the case and its list entries move at its version)', {
        action: 'escalate',
        reason: '基准：提请社区调委会',
      }),
      caseStepOn('mediation.act (the first session: the case counted mediated)', mediationSession),
      caseStepOn(
        'mediation.act (an agreement: its follow-ups scheduled, the case moves to the agreed list)',
        { action: 'agree', agreement: { facts: '基准：漏水', terms: ['楼上负责维修'], signedOn: '2026-12-05' } },
        true,
      ),
      caseStepOn('mediation.act (an invitation naming an account: indexed under it, the case counted joint)', {
        action: 'invite',
        role: 'legal_worker',
        name: '基准律师',
        until: '2099-12-31',
        username: `${BENCH_TOWN}.bench-lawyer`,
      }),
    ],
    'mediation.summary': [{ label: "mediation.summary (the month's counter item, one GetItem)", class: 'read-one', status: 200 }],
    'mediation.settings': [
      { label: 'mediation.settings (remembered a minute per process, else one GetItem)', class: 'read-one', status: 200 },
    ],
    'mediation.settings.save': [
      {
        label: 'mediation.settings.save (the item at its version and its audit entry)',
        class: 'write',
        body: settingsBody,
        status: 200,
        prepare: async () => {
          const now = obj((await call('GET', '/town/mediation/settings', { token: await townToken() })).body, 'settings');
          refill(settingsBody, {
            ...(Number(now.version) > 0 ? { version: now.version } : {}),
            followUpDays: [30, 90],
            types: now.types,
          });
        },
      },
    ],
    'notifications.list': [
      {
        label: "notifications.list (the caller's, one Query)",
        class: 'list',
        status: 200,
        returned: (_b, stored) => stored.filter((k) => k.pk === tk.notificationsPk(`${BENCH_TOWN}.admin`)),
      },
    ],
  };
}
