export * from './errors';
export * from './result';
export * from './ports';
export * from './duration';
export * from './domain';
export * from './canonical-json';
export * from './config/index';
export * from './release';
