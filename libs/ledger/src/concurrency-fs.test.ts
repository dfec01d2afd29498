import { crossProcessSuite } from './testing/cross-process-suite';

crossProcessSuite('fs');
