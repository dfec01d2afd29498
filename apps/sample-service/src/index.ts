export { startSampleService, type SampleService, type SampleServiceOptions } from './server';
export { identityFromEnv, type ReleaseIdentity } from './identity';
export { listProducts, customerOrders, type Queryable, type ApiAnswer } from './catalog';
