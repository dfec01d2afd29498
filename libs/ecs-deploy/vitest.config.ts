import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('ecs-deploy', import.meta.url);
