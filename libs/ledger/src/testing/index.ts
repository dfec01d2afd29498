export * from './s3-stand-in';
export * from './memory-state-store';
export * from './store-fixture';
export * from './tamper';
