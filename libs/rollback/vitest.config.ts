import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('rollback', import.meta.url);
