export * from './schema';
export * from './validate-config';
export * from './json-schema';
export * from './did-you-mean';
export * from './promotion-policy';
export * from './aws-target';
export * from './deploy-rules';
