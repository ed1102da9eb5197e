/* The calendar's and the SLAs' bounds, which the API's schemas need apart from the rules. */

export const FIRST_CALENDAR_YEAR = 2000;
export const LAST_CALENDAR_YEAR = 2100;
export const MAX_CLOSURES = 100;
export const SLA_UNITS = ['working_days', 'working_hours'] as const;
export const MAX_SLA_DAYS = 60;
export const MAX_SLA_HOURS = 200;
