import * as platformHandlers from '../platform/handlers';
import { platform } from '../platform/routes';
import { bindNow } from '../pipeline/bind';
import { areaHandler } from '../pipeline/route';

/** The public function: health, readiness and the OpenAPI document, no sign-in. */
export const publicRoutes = [...bindNow(platform, platformHandlers)];

export const handler = areaHandler(publicRoutes);
