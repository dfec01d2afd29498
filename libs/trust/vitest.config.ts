import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('trust', import.meta.url);
