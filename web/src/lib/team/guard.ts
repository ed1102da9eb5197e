import { requireRole } from '../guard';
import { canReadTeam } from './stages';

/** For the team pages' `load`: the session of someone who may read the team (TEAM_READ). */
export const guardTeam = (url: URL) => requireRole(url, canReadTeam);
