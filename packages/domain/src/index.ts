export * from './defaults';
export * from './errors';
export * from './hierarchy';
export * from './ids';
export * from './principal';
export * from './roles';
export * from './town';
export * from './people';
