import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('promotion-gate', import.meta.url);
