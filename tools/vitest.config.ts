import { projectTestConfig } from '../vitest.shared';

export default projectTestConfig('tools', import.meta.url, { include: ['*.test.ts', 'bench/**/*.test.ts'] });
