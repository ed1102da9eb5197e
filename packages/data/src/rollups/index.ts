// The county rollup (`@gridline/data/rollup`): the run, its reads and its files. The town recount
// (`./recount`) is re-exported from the package index instead: it needs no CSV or XLSX code.
export * from './rollup';
