import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('ledger', import.meta.url);
