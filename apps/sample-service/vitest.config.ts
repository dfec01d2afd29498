import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('sample-service', import.meta.url);
