import { forTown, reconcileTown } from '@gridline/data';
import { lazy } from '../pipeline/lazy';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

/*
 * Every town request loads this module, so it holds only what the pipeline loads anyway (the town's
 * own items through forTown). The org chart's writes, the population book and import/export live in
 * modules imported on their first request: bundled, each is a chunk of its own, so a cold start of
 * `GET /town/me` does not load the ID number checks, the vault or the XLSX reader.
 */
const org = lazy(() => import('./town/org'));
const book = lazy(() => import('./town/book'));
const imports = lazy(() => import('./town/imports'));

export const townRoutes = [
  implement(routes.me, async ({ principal, town }) => ({
    body: { user: { username: principal.username, role: principal.role, scope: principal.scope }, town: await town },
  })),

  implement(routes.hierarchy, async ({ principal }) => ({ body: await forTown(principal.townId).hierarchy() })),

  implement(routes.townConfig, async ({ principal }) => ({ body: await forTown(principal.townId).config() })),

  implement(routes.townSummary, async ({ principal }) => ({ body: await forTown(principal.townId).counters() })),

  implement(routes.reconcileTown, async ({ principal, body, now }) => ({
    body: await reconcileTown(principal.townId, { now, fix: body.fix, actor: principal.username }),
  })),

  implement(routes.staff, async ({ principal, query }) => ({
    body: await forTown(principal.townId).staffPage(query.limit, query.cursor),
  })),

  implement(routes.createCommunity, async (req) => (await org()).createCommunity(req)),
  implement(routes.renameCommunity, async (req) => (await org()).renameCommunity(req)),
  implement(routes.retireCommunity, async (req) => (await org()).retireCommunity(req)),
  implement(routes.createGrid, async (req) => (await org()).createGrid(req)),
  implement(routes.changeGrid, async (req) => (await org()).changeGrid(req)),
  implement(routes.moveGrid, async (req) => (await org()).moveGrid(req)),
  implement(routes.retireGrid, async (req) => (await org()).retireGridRoute(req)),
  implement(routes.assignCoordinator, async (req) => (await org()).assignCoordinator(req)),
  implement(routes.createCourtyard, async (req) => (await org()).createCourtyard(req)),
  implement(routes.renameCourtyard, async (req) => (await org()).renameCourtyard(req)),
  implement(routes.moveCourtyard, async (req) => (await org()).moveCourtyard(req)),
  implement(routes.retireCourtyard, async (req) => (await org()).retireCourtyard(req)),
  implement(routes.createHousehold, async (req) => (await book()).createHousehold(req)),
  implement(routes.listHouseholds, async (req) => (await book()).listHouseholds(req)),
  implement(routes.getHousehold, async (req) => (await book()).getHousehold(req)),
  implement(routes.changeHousehold, async (req) => (await book()).changeHousehold(req)),
  implement(routes.closeHousehold, async (req) => (await book()).closeHousehold(req)),
  implement(routes.addPerson, async (req) => (await book()).addPerson(req)),
  implement(routes.listPeople, async (req) => (await book()).listPeople(req)),
  implement(routes.getPerson, async (req) => (await book()).getPerson(req)),
  implement(routes.changePerson, async (req) => (await book()).changePerson(req)),
  implement(routes.movePerson, async (req) => (await book()).movePerson(req)),
  implement(routes.closePerson, async (req) => (await book()).closePerson(req)),
  implement(routes.revealPerson, async (req) => (await book()).revealPerson(req)),
  implement(routes.searchPeople, async (req) => (await book()).searchPeople(req)),
  implement(routes.previewImport, async (req) => (await imports()).previewImport(req)),
  implement(routes.importStatus, async (req) => (await imports()).importStatus(req)),
  implement(routes.commitImport, async (req) => (await imports()).commitImport(req)),
  implement(routes.importErrors, async (req) => (await imports()).importErrors(req)),
  implement(routes.listImports, async (req) => (await imports()).listImports(req)),
  implement(routes.resumeImport, async (req) => (await imports()).resumeImport(req)),
  implement(routes.abandonImport, async (req) => (await imports()).abandonImport(req)),
  implement(routes.exportBook, async (req) => (await imports()).exportBook(req)),
  implement(routes.populationMap, async ({ principal }) => ({ body: await forTown(principal.townId).populationMap() })),
  implement(routes.orgHistory, async (req) => (await org()).orgHistory(req)),
];

export const handler = areaHandler(townRoutes);
