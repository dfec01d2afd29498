import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('cli', import.meta.url);
