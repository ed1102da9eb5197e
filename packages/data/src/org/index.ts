// The org chart of a town: `orgOf` (in chart.ts) is where a caller starts; its rules are `@gridline/domain` org/rules.
export { orgOf, type OrgStatus } from './chart';
export { type OrgChanges, orgChanges } from './changes';
export { type OrgEvent, type OrgItems, orgItems } from './items';
