/**
 * The light part of the model (errors, results, ports, did-you-mean): what the CLI's entry point needs
 * before it knows which command runs. Importing it does not load zod or yaml, so `shipgate --version`
 * and `--help` stay fast. Everything here is also exported from the package's main entry.
 */
export * from './errors';
export * from './result';
export * from './ports';
export * from './duration';
export { didYouMean, editDistance } from './config/did-you-mean';
export * from './own-key';
export * from './terminal-text';
export * from './identifier';
