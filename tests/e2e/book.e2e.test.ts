import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIdNumber } from '../support/ids';
import type { TestStack } from '../support/stack';
import { browserSession, PHONE, POLL, SHOTS, scrollsSideways, storedText } from './browser';

/**
 * The population book and map in Chromium against the whole local stack: a town admin adds a
 * household and its members, sees IDs masked, reveals one with a reason, finds a person by ID number,
 * records a move and a closing, and opens the map (a drawn boundary and the schematic view) to click
 * through to households. Phone width is checked for sideways scrolling.
 * The test command builds the web app first; this file never builds it.
 */

/** Valid under GB 11643: a man born 1995-12-06, a woman born 1990-03-15, a boy born 2015-06-01, a man born 1988-07-20. */
const ID_MAN = '330523199512069810';
const ID_WOMAN = '330523199003150020';
const ID_CHILD = '330523201506010011';
const ID_TENANT = '411522198807200038';

/** Every user here is a town user: signing in lands on the town page. */
const session = browserSession({ landing: '**/town' });
const { newPage, signIn } = session;
let stack: TestStack;

/** Fills the add-member form (the sheet must be open). */
async function fillMember(page: Page, m: { name: string; relation: string; id: string; phone?: string; floating?: boolean }) {
  await page.getByTestId('pf-name').fill(m.name);
  await page.getByTestId('pf-relation').fill(m.relation);
  await page.getByTestId('pf-idNumber').fill(m.id);
  if (m.phone) await page.getByTestId('pf-phone').fill(m.phone);
  if (m.floating) {
    await page.getByTestId('pf-residenceType').selectOption('floating');
    await page.getByTestId('pf-arrivalDate').fill('2024-03-01');
    await page.locator('#pf-floating-origin').fill('安徽省阜阳市');
    await page.locator('#pf-floating-reason').fill('务工');
  }
}

let adminToken: string;
let mapGridId: string;

beforeAll(async () => {
  stack = await session.start();
  adminToken = await stack.token('qingshi.admin');

  // One grid with a drawn boundary: created without one, then given a polygon (青石镇's demo grids have none).
  const created = await stack.call('POST', '/town/grids', {
    token: adminToken,
    body: { communityId: 'liuhe-sq', name: '柳河新区网格', code: 'LH-09' },
  });
  expect(created.status).toBe(201);
  const grid = created.body as { gridId: string; version: number };
  mapGridId = grid.gridId;
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [120.1, 30.2],
        [120.112, 30.2],
        [120.112, 30.21],
        [120.1, 30.21],
        [120.1, 30.2],
      ],
    ],
  };
  const patched = await stack.call('PATCH', `/town/grids/${mapGridId}`, {
    token: adminToken,
    body: { version: grid.version, boundary: square },
  });
  expect(patched.status).toBe(200);
  const yard = await stack.call('POST', '/town/courtyards', { token: adminToken, body: { gridId: mapGridId, name: '新区花园1号楼' } });
  expect(yard.status).toBe(201);
  // A household there with a floating resident, so the drawn grid has a colour.
  const { courtyardId } = yard.body as { courtyardId: string };
  const home = await stack.call('POST', `/town/grids/${mapGridId}/households`, {
    token: adminToken,
    body: { courtyardId, door: '1单元101室' },
  });
  expect(home.status).toBe(201);
  const { householdId } = home.body as { householdId: string };
  const tenant = await stack.call('POST', `/town/grids/${mapGridId}/households/${householdId}/people`, {
    token: adminToken,
    body: {
      name: '王磊',
      gender: 'male',
      idNumber: ID_TENANT,
      relation: '户主',
      residenceType: 'floating',
      tags: [],
      keyTags: [],
      floating: { arrivalDate: '2024-05-01', origin: '河南省信阳市', reason: '务工' },
    },
  });
  expect(tenant.status).toBe(201);
});

afterAll(() => session.close());

describe('population book and map', () => {
  let cardPath = '';

  it('adds a household and members, shows IDs masked, reveals one with a reason', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');

    // The nav leads to the book, which opens on the town's first grid; the picker changes grid.
    await page.getByRole('link', { name: '人口台账' }).click();
    await page.waitForURL('**/town/book?grid=dp-g1');
    await page.getByTestId('households-empty').waitFor();
    await page.getByTestId('grid-picker').selectOption('qs-g1');
    await page.waitForURL('**/town/book?grid=qs-g1');
    await page.getByTestId('households-empty').waitFor();
    await page.screenshot({ path: `${SHOTS}/gridline-book-empty-desk.png`, fullPage: true });

    // Add a household in courtyard 1栋: the new household card opens.
    await page.getByTestId('add-household').click();
    await page.getByTestId('hh-submit').click();
    await expect.poll(() => page.getByTestId('hh-door-error').textContent(), POLL).toContain('必填');
    await page.getByTestId('hh-courtyard').selectOption({ label: '1栋' });
    await page.getByTestId('hh-door').fill('2单元302室');
    await page.getByTestId('hh-code').fill('QS01-0001');
    await page.getByTestId('hh-submit').click();
    await page.waitForURL('**/town/book/qs-g1/**');
    cardPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId('household-door').textContent(), POLL).toBe('2单元302室');
    await expect.poll(() => page.getByTestId('household-address').textContent(), POLL).toContain('青石社区 · 第一网格 · 1栋');
    await page.getByTestId('members-empty').waitFor();

    // Add the head of household. The ID is checked as typed; a wrong check digit is caught at once.
    await page.getByTestId('add-member').click();
    await fillMember(page, { name: '张伟', relation: '户主', id: `${ID_MAN.slice(0, 17)}1`, phone: '138 1234 5678' });
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('pf-idNumber-error').textContent(), POLL).toContain('校验码');
    await page.getByTestId('pf-idNumber').fill(ID_MAN);
    await expect.poll(() => page.getByTestId('pf-idNumber-error').count(), POLL).toBe(0);
    // Gender and birth date come from the ID number.
    await expect.poll(() => page.getByTestId('pf-gender').inputValue(), POLL).toBe('male');
    await expect.poll(() => page.locator('#pf-idNumber-hint').textContent(), POLL).toContain('1995-12-06');
    await page.getByRole('checkbox', { name: '退役军人/优抚对象' }).check();
    await page.screenshot({ path: `${SHOTS}/gridline-add-member-desk.png`, fullPage: false });
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已添加 张伟');

    const head = page.locator('[data-testid="member"]', { hasText: '张伟' });
    await expect.poll(() => head.getByTestId('masked-idNumber').textContent(), POLL).toBe('3305**********9810');
    await expect.poll(() => head.getByTestId('masked-phone').textContent(), POLL).toBe('138****5678');
    await expect.poll(() => head.getByTestId('tag-chips').textContent(), POLL).toContain('退役军人');
    expect(await page.content()).not.toContain(ID_MAN);

    // The same ID again is refused by the server, beside the ID field, with a link to where it is.
    await page.getByTestId('add-member').click();
    await fillMember(page, { name: '张伟伟', relation: '子', id: ID_MAN });
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('pf-idNumber-error').textContent(), POLL).toContain('已登记过该身份证号');
    await expect.poll(() => page.getByTestId('pf-duplicate').getAttribute('href'), POLL).toBe(cardPath);

    // A floating member, then a child.
    await fillMember(page, { name: '李秀兰', relation: '配偶', id: ID_WOMAN, phone: '0571-88886666', floating: true });
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已添加 李秀兰');
    await page.getByTestId('add-member').click();
    await fillMember(page, { name: '张小宝', relation: '子', id: ID_CHILD });
    await page.getByRole('checkbox', { name: '留守儿童' }).check();
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('member').count(), POLL).toBe(3);
    const wife = page.locator('[data-testid="member"]', { hasText: '李秀兰' });
    await expect.poll(() => wife.textContent(), POLL).toContain('安徽省阜阳市');
    await expect.poll(() => wife.locator('[data-residence]').textContent(), POLL).toBe('流动人口');
    await page.screenshot({ path: `${SHOTS}/gridline-household-desk.png`, fullPage: true });

    // Reveal the head's ID: a reason is required; the value shows, then hides on request.
    await head.getByTestId('reveal-idNumber').click();
    const sheet = page.getByTestId('reveal-sheet').filter({ visible: true });
    await sheet.getByTestId('reveal-submit').click();
    await expect.poll(() => sheet.getByTestId('reveal-reason-error').textContent(), POLL).toContain('必填');
    await sheet.getByTestId('reveal-reason').fill('入户核对身份信息');
    await page.screenshot({ path: `${SHOTS}/gridline-reveal-desk.png` });
    await sheet.getByTestId('reveal-submit').click();
    await expect.poll(() => head.getByTestId('revealed-idNumber').textContent(), POLL).toBe(ID_MAN);
    expect(page.url()).not.toContain(ID_MAN);
    expect(await storedText(page)).not.toContain(ID_MAN);
    await page.screenshot({ path: `${SHOTS}/gridline-revealed-desk.png` });
    await head.getByTestId('hide-idNumber').click();
    await expect.poll(() => head.getByTestId('masked-idNumber').textContent(), POLL).toBe('3305**********9810');

    // Edit the child's relation; close the record of nobody by mistake: cancel, then close for real.
    const child = page.locator('[data-testid="member"]', { hasText: '张小宝' });
    await child.getByTestId('edit-person').click();
    await page.getByTestId('pf-relation').fill('儿子');
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已保存 张小宝');
    await expect.poll(() => child.textContent(), POLL).toContain('儿子');
  });

  it('records a move and closes a record with confirmation; the history keeps both', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    // A second household in the same grid to move into.
    const other = await stack.call('POST', '/town/grids/qs-g1/households', { token: adminToken, body: { door: '3单元101室' } });
    expect(other.status).toBe(201);

    await page.goto(`${stack.url}${cardPath}`);
    const child = page.locator('[data-testid="member"]', { hasText: '张小宝' });
    await child.getByTestId('move-person').click();
    await page.getByTestId('mv-kind').selectOption('to_household');
    await page.getByTestId('mv-toHousehold').selectOption({ label: '3单元101室' });
    await page.screenshot({ path: `${SHOTS}/gridline-move-desk.png` });
    await page.getByTestId('mv-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('并入其他住户');
    await expect.poll(() => page.getByTestId('member').count(), POLL).toBe(2);

    const wife = page.locator('[data-testid="member"]', { hasText: '李秀兰' });
    await wife.getByTestId('close-person').click();
    await page.getByTestId('cl-submit').click();
    await expect.poll(() => page.getByTestId('cl-reason-error').textContent(), POLL).toContain('请选择');
    await page.getByTestId('cl-reason').selectOption('moved_away');
    await page.getByTestId('cl-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已注销 李秀兰');
    // The closed record stays on the card, folded away under the current members.
    await expect.poll(() => page.getByTestId('members').getByTestId('member').count(), POLL).toBe(1);
    await page.getByText('已注销的成员（1）').click();
    const closed = page.locator('[data-testid="member"]', { hasText: '李秀兰' });
    await closed.getByTestId('history-person').click();
    const history = page.getByTestId('person-history');
    await expect.poll(() => history.textContent(), POLL).toContain('注销（迁出本镇）');
    await expect.poll(() => history.textContent(), POLL).toContain('登记');
    await page.screenshot({ path: `${SHOTS}/gridline-history-desk.png` });
  });

  it('finds a person by ID number and opens the household card', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/book`);
    await page.getByTestId('open-search').click();
    await page.waitForURL('**/town/book/search');
    await page.getByTestId('search-by-idNumber').check();
    await page.getByTestId('search-id').fill(`${ID_MAN.slice(0, 6)} ${ID_MAN.slice(6)}`);
    await page.getByTestId('search-submit').click();
    const hit = page.getByTestId('search-hit');
    await expect.poll(() => hit.count(), POLL).toBe(1);
    await expect.poll(() => hit.textContent(), POLL).toContain('张伟');
    await expect.poll(() => hit.getByTestId('hit-id').textContent(), POLL).toBe('3305**********9810');
    expect(page.url()).not.toContain(ID_MAN.slice(6));
    expect(await storedText(page)).not.toContain(ID_MAN.slice(6));
    await page.screenshot({ path: `${SHOTS}/gridline-search-desk.png`, fullPage: true });

    // By name prefix too.
    await page.getByTestId('search-by-name').check();
    await page.getByTestId('search-name').fill('张');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => page.getByTestId('search-hit').count(), POLL).toBeGreaterThanOrEqual(2);

    await page.getByTestId('search-by-idNumber').check();
    await page.getByTestId('search-id').fill(ID_MAN);
    await page.getByTestId('search-submit').click();
    await expect.poll(() => page.getByTestId('search-hit').count(), POLL).toBe(1);
    await page.getByTestId('search-hit').click();
    await page.waitForURL(`**${cardPath}`);
    await expect.poll(() => page.getByTestId('household-door').textContent(), POLL).toBe('2单元302室');
  });

  it('opens the map: a drawn boundary and the schematic view both click through to households', async () => {
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    await page.getByRole('link', { name: '人口地图' }).click();
    await page.waitForURL('**/town/map');

    // Grids without a boundary: the schematic view, courtyards as blocks.
    const schematic = page.getByTestId('map-schematic');
    await schematic.waitFor();
    const g1 = schematic.locator('[data-grid-id="qs-g1"]');
    await expect.poll(() => g1.textContent(), POLL).toContain('1 户');
    await expect.poll(() => g1.getByTestId('schematic-block').count(), POLL).toBeGreaterThanOrEqual(4);

    // The grid with a boundary is drawn on a canvas.
    await page.getByTestId('map-boundaries').waitFor();
    await page.locator('[data-testid="map-chart"] canvas').first().waitFor();
    await expect.poll(() => page.getByText('正在绘制地图…').count(), POLL).toBe(0);
    await page.screenshot({ path: `${SHOTS}/gridline-map-desk.png`, fullPage: true });
    await page.getByTestId('map-by-floating').check();
    await page.waitForURL('**/town/map?by=floating');
    await page.screenshot({ path: `${SHOTS}/gridline-map-floating-desk.png`, fullPage: true });
    // Shaded by visits: the grid's households counted by its visit counters, none overdue yet.
    await page.getByTestId('map-by-overdue').check();
    await page.waitForURL('**/town/map?by=overdue');
    await expect.poll(() => g1.textContent(), POLL).toContain('走访逾期 0 户');
    await expect.poll(() => page.getByTestId('map-legend').textContent(), POLL).toContain('无在册户');

    // Clicking inside the drawn grid opens its households.
    await page.getByTestId('map-chart').click();
    await page.waitForURL(`**/town/book?grid=${mapGridId}`);
    await expect.poll(() => page.getByTestId('household-row').textContent(), POLL).toContain('1单元101室');

    // A courtyard block of the schematic opens that courtyard's households.
    await page.goBack();
    await page.waitForURL('**/town/map**');
    await page.locator('[data-grid-id="qs-g1"] [data-testid="schematic-block"]', { hasText: '1栋' }).click();
    await page.waitForURL('**/town/book?grid=qs-g1&yard=*');
    await expect.poll(() => page.getByTestId('household-row').count(), POLL).toBe(1);
    await expect.poll(() => page.getByTestId('household-row').textContent(), POLL).toContain('2单元302室');
  });

  it('on a phone (375 px): the book, the household card and the map fit without sideways scrolling', async () => {
    const page = await newPage(PHONE);
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/book?grid=qs-g1`);
    await page.getByTestId('household-row').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-book-phone.png`, fullPage: true });
    await page.getByTestId('tab-people').click();
    await page.getByTestId('person-row').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-people-phone.png`, fullPage: true });

    await page.goto(`${stack.url}${cardPath}`);
    await page.getByTestId('member').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-household-phone.png`, fullPage: true });
    // The same card in English.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('add-member').textContent(), POLL).toContain('Add member');
    await expect.poll(() => page.getByTestId('members').textContent(), POLL).toContain('Veteran');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-household-phone-en.png`, fullPage: true });
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('add-member').textContent(), POLL).toContain('新增成员');
    await page.getByTestId('member').first().getByTestId('reveal-phone').click();
    await page.getByTestId('reveal-sheet').filter({ visible: true }).getByTestId('reveal-reason').fill('电话回访核实');
    await page.getByTestId('reveal-sheet').filter({ visible: true }).getByTestId('reveal-submit').click();
    await expect.poll(() => page.getByTestId('revealed-phone').textContent(), POLL).toBe('13812345678');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-revealed-phone.png`, fullPage: true });

    await page.getByTestId('add-member').click();
    await page.getByTestId('pf-residenceType').selectOption('floating');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-add-member-phone.png` });
    await page.keyboard.press('Escape');

    await page.goto(`${stack.url}/town/map`);
    await page.getByTestId('map-schematic').waitFor();
    await page.locator('[data-testid="map-chart"] canvas').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-map-phone.png`, fullPage: true });

    // A coordinator lands on their own grid and can pick no other.
    const coordinator = await newPage(PHONE);
    await signIn(coordinator, 'qingshi.grid2');
    await coordinator.getByRole('link', { name: '人口台账' }).click();
    await coordinator.waitForURL('**/town/book?grid=qs-g2');
    await coordinator.getByTestId('households-empty').waitFor();
    expect(await coordinator.getByTestId('grid-picker').locator('option').count()).toBe(1);

    // An auditor reads the card but has nothing to change or reveal with.
    const auditor = await newPage(PHONE);
    await signIn(auditor, 'qingshi.auditor');
    await auditor.goto(`${stack.url}${cardPath}`);
    await auditor.getByTestId('member').first().waitFor();
    await expect.poll(() => auditor.getByTestId('masked-idNumber').first().textContent(), POLL).toBe('3305**********9810');
    expect(await auditor.getByTestId('add-member').count()).toBe(0);
    expect(await auditor.getByTestId('reveal-idNumber').count()).toBe(0);
    expect(await auditor.getByTestId('edit-person').count()).toBe(0);
    expect(await auditor.getByTestId('edit-household').count()).toBe(0);
  });
});

describe('household address, closing, and a floating resident’s landlord', () => {
  /** A household made through the API, optionally with one member; its id back. */
  async function household(gridId: string, body: Record<string, unknown>, member?: Record<string, unknown>) {
    const h = await stack.call('POST', `/town/grids/${gridId}/households`, { token: adminToken, body });
    expect(h.status).toBe(201);
    const { householdId } = h.body as { householdId: string };
    if (member) {
      const p = await stack.call('POST', `/town/grids/${gridId}/households/${householdId}/people`, {
        token: adminToken,
        body: { gender: 'male', relation: '户主', residenceType: 'registered', tags: [], keyTags: [], ...member },
      });
      expect(p.status).toBe(201);
    }
    return householdId;
  }
  type Card = {
    household: { status: string; door: string; version: number; courtyardId?: string; closedNote?: string };
    members: Array<{ courtyardId?: string }>;
  };
  const card = async (gridId: string, householdId: string) =>
    (await stack.call('GET', `/town/grids/${gridId}/households/${householdId}`, { token: adminToken })).body as Card;

  it('corrects a household’s address (its member follows the new courtyard) and closes an empty household after confirming', async () => {
    const home = await household(
      'lh-g1',
      { courtyardId: 'lh-g1-y1', door: '5单元501室' },
      { name: '钱进', idNumber: testIdNumber('330523', '1966-02-02', 51) },
    );
    const page = await newPage();
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/book/lh-g1/${home}`);
    await expect.poll(() => page.getByTestId('household-address').textContent(), POLL).toContain('柳河社区 · 第一网格 · 1栋 · 5单元501室');

    await page.getByTestId('edit-household').click();
    await page.getByTestId('he-door').fill('');
    await page.getByTestId('he-submit').click();
    await expect.poll(() => page.locator('#he-door-error').textContent(), POLL).toContain('必填');
    await page.getByTestId('he-courtyard').selectOption({ label: '2栋' });
    await page.getByTestId('he-door').fill('5单元502室');
    await page.screenshot({ path: `${SHOTS}/gridline-household-edit-desk.png` });
    await page.getByTestId('he-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已保存住户地址');
    await expect.poll(() => page.getByTestId('household-address').textContent(), POLL).toContain('柳河社区 · 第一网格 · 2栋 · 5单元502室');
    await expect.poll(() => page.getByTestId('household-door').textContent(), POLL).toBe('5单元502室');
    const after = await card('lh-g1', home);
    expect(after.household).toMatchObject({ courtyardId: 'lh-g1-y2', door: '5单元502室', version: 2 });
    expect(after.members[0]?.courtyardId).toBe('lh-g1-y2');

    // Closing is not offered while someone lives here.
    await page.getByTestId('close-household').click();
    await page.getByTestId('hc-has-members').waitFor();
    expect(await page.getByTestId('hc-submit').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');

    // An empty household: choose a reason, confirm, and it stays on its card marked closed.
    const empty = await household('lh-g1', { courtyardId: 'lh-g1-y3', door: '6单元601室' });
    await page.goto(`${stack.url}/town/book/lh-g1/${empty}`);
    await page.getByTestId('close-household').click();
    await page.getByTestId('hc-submit').click();
    await expect.poll(() => page.locator('#hc-reason-error').textContent(), POLL).toContain('请选择');
    await page.getByTestId('hc-reason').selectOption('dissolved');
    await page.getByTestId('hc-note').fill('户主投靠子女');
    await page.getByTestId('hc-submit').click();
    const confirm = page.getByTestId('confirm-dialog');
    await expect.poll(() => confirm.textContent(), POLL).toContain('6单元601室');
    // Cancelling sends nothing.
    await confirm.getByRole('button', { name: '取消' }).click();
    expect((await card('lh-g1', empty)).household.status).toBe('active');
    await page.getByTestId('hc-submit').click();
    await page.screenshot({ path: `${SHOTS}/gridline-household-close-desk.png` });
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已注销住户 6单元601室');
    await expect.poll(() => page.getByTestId('household-closed-as').textContent(), POLL).toContain('分户/家庭解散');
    expect(await page.getByTestId('close-household').count()).toBe(0);
    expect(await page.getByTestId('add-member').count()).toBe(0);
    expect((await card('lh-g1', empty)).household.closedNote).toBe('户主投靠子女');
  });

  it('sets a floating resident’s landlord household with the picker, by grid and by a name, on a phone', async () => {
    const byGrid = await household(
      'lh-g2',
      { door: '8单元801室' },
      { name: '欧阳建房', idNumber: testIdNumber('330523', '1960-06-06', 61) },
    );
    const byName = await household(
      'lh-g1',
      { courtyardId: 'lh-g1-y4', door: '9单元901室' },
      { name: '司马立房', idNumber: testIdNumber('330523', '1962-08-08', 71) },
    );
    const tenantHome = await household('lh-g2', { door: '3单元303室' });
    const added = await stack.call('POST', `/town/grids/lh-g2/households/${tenantHome}/people`, {
      token: adminToken,
      body: {
        name: '郑小租',
        gender: 'male',
        idNumber: testIdNumber('411522', '1995-05-05', 81),
        relation: '租户',
        residenceType: 'floating',
        tags: [],
        keyTags: [],
        floating: { arrivalDate: '2025-09-01', origin: '河南省周口市', reason: '务工' },
      },
    });
    expect(added.status).toBe(201);
    const { personId } = added.body as { personId: string };

    const page = await newPage(PHONE);
    await signIn(page, 'qingshi.admin');
    await page.goto(`${stack.url}/town/book/lh-g2/${tenantHome}`);
    const tenant = page.locator('[data-testid="member"]', { hasText: '郑小租' });
    await tenant.getByTestId('edit-person').click();
    const picker = page.getByTestId('landlord-picker');
    await expect.poll(() => picker.getByTestId('landlord-none').textContent(), POLL).toContain('未指定房东户');

    // Grid by grid: the tenant's own grid first, its households listed by door.
    await picker.getByTestId('landlord-pick').click();
    await expect.poll(() => picker.getByTestId('landlord-grid').inputValue(), POLL).toBe('lh-g2');
    await picker.getByTestId('landlord-household').selectOption({ label: '8单元801室' });
    await expect.poll(() => picker.getByTestId('landlord-address').textContent(), POLL).toContain('柳河社区 · 第二网格 · 8单元801室');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-landlord-phone.png` });
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => page.getByTestId('card-notice').textContent(), POLL).toContain('已保存 郑小租');
    await expect.poll(() => tenant.getByTestId('landlord-link').getAttribute('href'), POLL).toBe(`/town/book/lh-g2/${byGrid}`);
    const person = async () =>
      (await stack.call('GET', `/town/grids/lh-g2/households/${tenantHome}/people/${personId}`, { token: adminToken })).body as {
        person: { floating: Record<string, string> };
      };
    expect((await person()).person.floating).toMatchObject({
      landlordGridId: 'lh-g2',
      landlordHouseholdId: byGrid,
      origin: '河南省周口市',
    });

    // By the name of someone living there (sent in a POST body, not the URL), in another grid.
    await tenant.getByTestId('edit-person').click();
    await expect.poll(() => picker.getByTestId('landlord-address').textContent(), POLL).toContain('8单元801室');
    await picker.getByTestId('landlord-pick').click();
    await picker.getByTestId('landlord-by-name').check();
    await picker.getByTestId('landlord-name').fill('司马');
    await picker.getByTestId('landlord-name').press('Enter');
    const hit = picker.getByTestId('landlord-hit');
    await expect.poll(() => hit.count(), POLL).toBe(1);
    await expect.poll(() => hit.textContent(), POLL).toContain('柳河社区 · 第一网格 · 4栋');
    expect(page.url()).not.toContain(encodeURIComponent('司马'));
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-landlord-finder-phone.png` });
    await hit.click();
    await expect.poll(() => picker.getByTestId('landlord-address').textContent(), POLL).toContain('柳河社区 · 第一网格 · 4栋 · 9单元901室');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/gridline-landlord-by-name-phone.png` });
    await page.getByTestId('pf-submit').click();
    await expect.poll(() => tenant.getByTestId('landlord-link').getAttribute('href'), POLL).toBe(`/town/book/lh-g1/${byName}`);
    expect((await person()).person.floating).toMatchObject({ landlordGridId: 'lh-g1', landlordHouseholdId: byName });

    // The link opens the landlord's card.
    await tenant.getByTestId('landlord-link').click();
    await page.waitForURL(`**/town/book/lh-g1/${byName}`);
    await expect.poll(() => page.getByTestId('household-door').textContent(), POLL).toBe('9单元901室');
  });
});
