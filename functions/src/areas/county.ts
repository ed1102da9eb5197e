import { calendarCounty } from '../calendar/routes';
import * as consoleHandlers from '../platform/console';
import { countyConsole } from '../platform/routes';
import { bindLater, bindNow } from '../pipeline/bind';
import { areaHandler } from '../pipeline/route';
import { rollups } from '../rollups/routes';
import * as townsHandlers from '../towns/handlers';
import { registry } from '../towns/routes';

/*
 * The county function. The registry's handlers are bound now (putTown and the recount import their
 * heavy parts themselves); the rollup reports (and the XLSX writer behind their files) are imported on
 * their first request, a chunk of their own when bundled.
 */
export const countyRoutes = [
  ...bindNow(countyConsole, consoleHandlers),
  ...bindLater(rollups, () => import('../rollups/handlers')),
  ...bindNow(registry, townsHandlers),
  ...bindLater(calendarCounty, () => import('../calendar/handlers')),
];

export const handler = areaHandler(countyRoutes);
