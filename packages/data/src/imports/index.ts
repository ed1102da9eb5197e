// Import and export of the population book (`@gridline/data/imports`): `importsOf` is where a caller starts.
export * from './imports';
