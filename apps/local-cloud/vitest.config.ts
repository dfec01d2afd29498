import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('local-cloud', import.meta.url);
