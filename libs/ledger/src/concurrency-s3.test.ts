import { crossProcessSuite } from './testing/cross-process-suite';

crossProcessSuite('s3');
