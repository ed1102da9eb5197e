import { book, bookMap } from '../book/routes';
import { calendarTown } from '../calendar/routes';
import * as mapHandlers from '../book/map';
import { imports } from '../imports/routes';
import { matterRoutes } from '../matters/routes';
import { mediationRoutes } from '../mediation/routes';
import { visitRoutes } from '../visits/routes';
import { orgChanges, orgReads } from '../org/routes';
import { bindLater, bindNow } from '../pipeline/bind';
import { areaHandler } from '../pipeline/route';
import * as ownTownHandlers from '../towns/own-town';
import { postRoutes } from '../posts/routes';
import { staffRoutes } from '../staff/routes';
import { teamContacts } from '../team/contacts-routes';
import { teamRoutes } from '../team/routes';
import { ownTown } from '../towns/routes';
import { trainingRoutes } from '../training/routes';
import { uploadRoutes } from '../uploads/routes';
import { visitAdminRoutes } from '../visits/admin-routes';

/*
 * Every town request loads this module, so what it binds now needs only what the pipeline loads anyway
 * (the town's own items through forTown). The org chart's writes, the population book and import/export
 * are bound later: bundled, each handlers module is a chunk of its own, so a cold start of `GET /town/me`
 * does not load the ID number checks, the vault or the XLSX reader.
 */
export const townRoutes = [
  ...bindNow(ownTown, ownTownHandlers),
  ...bindLater(orgChanges, () => import('../org/handlers')),
  ...bindLater(orgReads, () => import('../org/handlers')),
  ...bindLater(book, () => import('../book/handlers')),
  ...bindNow(bookMap, mapHandlers),
  ...bindLater(imports, () => import('../imports/handlers')),
  ...bindLater(teamRoutes, () => import('../team/handlers')),
  ...bindLater(postRoutes, () => import('../posts/handlers')),
  ...bindLater(staffRoutes, () => import('../staff/handlers')),
  ...bindLater(trainingRoutes, () => import('../training/handlers')),
  ...bindLater(teamContacts, () => import('../team/contacts-handlers')),
  ...bindLater(uploadRoutes, () => import('../uploads/handlers')),
  ...bindLater(calendarTown, () => import('../calendar/handlers')),
  ...bindLater(matterRoutes, () => import('../matters/handlers')),
  ...bindLater(visitRoutes, () => import('../visits/handlers')),
  ...bindLater(visitAdminRoutes, () => import('../visits/admin-handlers')),
  ...bindLater(mediationRoutes, () => import('../mediation/handlers')),
];

export const handler = areaHandler(townRoutes);
