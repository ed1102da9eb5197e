// The population book moved to `./book/`; this module keeps the old import path working.
export * from './book';
