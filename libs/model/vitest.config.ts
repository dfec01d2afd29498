import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('model', import.meta.url);
