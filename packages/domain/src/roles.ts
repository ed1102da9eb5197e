import * as z from './common/zod';
import { ROLES } from './rules';

export {
  COUNTY_ROLES,
  type CountyRole,
  isCountyRole,
  isRole,
  isTownRole,
  ROLES,
  type Role,
  TOWN_ROLES,
  TOWN_STAFF_ROLES,
  type TownRole,
} from './rules';

export const roleSchema = z.enum(ROLES);
