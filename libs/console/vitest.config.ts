import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('console', import.meta.url);
