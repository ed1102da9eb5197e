// Moved to ./book/api (decision 45): kept as a re-export until the lead merges the branches that import it, then removed.
export * from './book/api';
