// Moved by capability (decision 45): kept as a re-export until the lead merges the branches that import it, then removed.
export * from './common/api';
export * from './org/api';
export * from './towns/api';
export * from './book/api';
export * from './imports/api';
export * from './rollups/api';
