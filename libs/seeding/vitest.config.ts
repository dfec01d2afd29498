import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('seeding', import.meta.url);
