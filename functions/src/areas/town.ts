import { bookOf, forTown, importsOf, orgOf } from '@gridline/data';
import { nameCoordinator, retireGrid } from '../grid-scope';
import { startInBackground } from '../jobs/dispatch';
import { areaHandler, implement } from '../pipeline/route';
import { routes } from '../routes';

export const townRoutes = [
  implement(routes.me, async ({ principal, town }) => ({
    body: { user: { username: principal.username, role: principal.role, scope: principal.scope }, town },
  })),

  implement(routes.hierarchy, async ({ principal }) => ({ body: await forTown(principal.townId).hierarchy() })),

  implement(routes.townConfig, async ({ principal }) => ({ body: await forTown(principal.townId).config() })),

  implement(routes.townSummary, async ({ principal }) => ({ body: await forTown(principal.townId).counters() })),

  implement(routes.staff, async ({ principal, query }) => ({
    body: await forTown(principal.townId).staffPage(query.limit, query.cursor),
  })),

  implement(routes.createCommunity, async ({ principal, body, now }) => ({
    status: 201,
    body: await orgOf(principal.townId).createCommunity(body, principal.username, now),
  })),
  implement(routes.renameCommunity, async ({ principal, params, body, now }) => ({
    body: await orgOf(principal.townId).renameCommunity(params.communityId, body.version, body.name, principal.username, now),
  })),
  implement(routes.retireCommunity, async ({ principal, params, body, now }) => ({
    body: await orgOf(principal.townId).retire('community', params.communityId, body.version, principal.username, now),
  })),
  implement(routes.createGrid, async ({ principal, body, now }) => ({
    status: 201,
    body: await orgOf(principal.townId).createGrid(body, principal.username, now),
  })),
  implement(routes.changeGrid, async ({ principal, params, body, now }) => {
    const { version, ...set } = body;
    return { body: await orgOf(principal.townId).changeGrid(params.gridId, version, set, principal.username, now) };
  }),
  implement(routes.moveGrid, async ({ principal, params, body, now }) => ({
    body: await orgOf(principal.townId).moveGrid(params.gridId, body.version, body.communityId, principal.username, now),
  })),
  implement(routes.retireGrid, async ({ principal, params, body, now }) => ({
    body: await retireGrid(principal.townId, params.gridId, body.version, principal.username, now),
  })),
  implement(routes.assignCoordinator, async ({ principal, params, body, now }) => ({
    body: await nameCoordinator(principal.townId, params.gridId, body.version, body.username, principal.username, now),
  })),
  implement(routes.createCourtyard, async ({ principal, body, now }) => ({
    status: 201,
    body: await orgOf(principal.townId).createCourtyard(body, principal.username, now),
  })),
  implement(routes.renameCourtyard, async ({ principal, params, body, now }) => ({
    body: await orgOf(principal.townId).renameCourtyard(params.courtyardId, body.version, body.name, principal.username, now),
  })),
  implement(routes.moveCourtyard, async ({ principal, params, body, now }) => ({
    body: await orgOf(principal.townId).moveCourtyard(params.courtyardId, body.version, body.gridId, principal.username, now),
  })),
  implement(routes.retireCourtyard, async ({ principal, params, body, now }) => ({
    body: await orgOf(principal.townId).retire('courtyard', params.courtyardId, body.version, principal.username, now),
  })),
  implement(routes.createHousehold, async ({ principal, params, body, now }) => ({
    status: 201,
    body: await bookOf(principal).createHousehold(params.gridId, body, now),
  })),
  implement(routes.listHouseholds, async ({ principal, params, query }) => ({
    body: await bookOf(principal).listHouseholds(params.gridId, query.limit, query.cursor, query.courtyardId),
  })),
  implement(routes.getHousehold, async ({ principal, params }) => ({
    body: await bookOf(principal).getHousehold(params.gridId, params.householdId),
  })),
  implement(routes.changeHousehold, async ({ principal, params, body, now }) => ({
    body: await bookOf(principal).changeHousehold(params.gridId, params.householdId, body, now),
  })),
  implement(routes.closeHousehold, async ({ principal, params, body, now }) => ({
    body: await bookOf(principal).closeHousehold(params.gridId, params.householdId, body, now),
  })),
  implement(routes.addPerson, async ({ principal, params, body, now }) => ({
    status: 201,
    body: await bookOf(principal).addPerson(params.gridId, params.householdId, body, now),
  })),
  implement(routes.listPeople, async ({ principal, params, query }) => ({
    body: await bookOf(principal).listPeople(params.gridId, query.limit, query.cursor),
  })),
  implement(routes.getPerson, async ({ principal, params }) => ({
    body: await bookOf(principal).getPerson(params.gridId, params.householdId, params.personId),
  })),
  implement(routes.changePerson, async ({ principal, params, body, now }) => ({
    body: await bookOf(principal).changePerson(params.gridId, params.householdId, params.personId, body, now),
  })),
  implement(routes.movePerson, async ({ principal, params, body, now }) => ({
    body: await bookOf(principal).movePerson(params.gridId, params.householdId, params.personId, body, now),
  })),
  implement(routes.closePerson, async ({ principal, params, body, now }) => ({
    body: await bookOf(principal).closePerson(params.gridId, params.householdId, params.personId, body, now),
  })),
  implement(routes.revealPerson, async ({ principal, params, body, now }) => ({
    body: await bookOf(principal).reveal(params.gridId, params.householdId, params.personId, body.field, body.reason, now),
  })),
  implement(routes.searchPeople, async ({ principal, body }) => ({ body: await bookOf(principal).search(body) })),
  implement(routes.previewImport, async ({ principal, body, now }) => ({
    status: 201,
    body: await importsOf(principal).preview(body.fileName, Buffer.from(body.contentBase64, 'base64'), now, {
      ...(body.mapping ? { mapping: body.mapping } : {}),
      ...(body.createOrg ? { createOrg: true } : {}),
    }),
  })),
  implement(routes.importStatus, async ({ principal, params }) => ({ body: await importsOf(principal).status(params.importId) })),
  implement(routes.commitImport, async ({ principal, params, now }) => {
    const queued = await importsOf(principal).queue(params.importId, now);
    await startInBackground({ job: 'import', town: principal.townId, importId: params.importId });
    return { status: 202, body: queued };
  }),
  implement(routes.importErrors, async ({ principal, params, query }) => ({
    body: await importsOf(principal).errorFile(params.importId, query.format),
  })),
  implement(routes.exportBook, async ({ principal, query, now }) => ({
    body: await importsOf(principal).exportBook(query.format, query.gridId, now),
  })),
  implement(routes.populationMap, async ({ principal }) => ({ body: await forTown(principal.townId).populationMap() })),
  implement(routes.orgHistory, async ({ principal, params, query }) => ({
    body: await orgOf(principal.townId).history(params.kind, params.id, query.limit, query.cursor),
  })),
];

export const handler = areaHandler(townRoutes);
