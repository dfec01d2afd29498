export * from './describe-environment';
export * from './deploy-permissions';
export * from './drift';
export * from './parity-view';
export * from './compare-parity';
export * from './parity-report';
