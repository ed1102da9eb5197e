export { boundRoutes } from './areas';
export { areaEntries } from './manifest';
export { useDirectory } from './identity';
export { openApiDocument } from './openapi';
export { errorResponse } from './pipeline/errors';
export type { BoundRoute, Event, Result } from './pipeline/route';
export { type Audience, areas, type Method, pageQuery, type RouteSpec, routeKey, routes, routeTable } from './routes';
