export * from './describe-environment';
export * from './deploy-permissions';
export * from './drift';
