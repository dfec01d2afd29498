export * from './fake-world';
export * from './records';
