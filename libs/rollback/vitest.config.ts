// eslint-disable-next-line @nx/enforce-module-boundaries -- the shared test settings live at the repository root
import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('rollback', import.meta.url);
