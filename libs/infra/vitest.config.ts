import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('infra', import.meta.url);
