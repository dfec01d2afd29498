export * from './fakes';
export * from './fake-infra';
