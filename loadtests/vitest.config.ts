// The shared test settings live at the workspace root, outside any project.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { projectTestConfig } from '../vitest.shared';

export default projectTestConfig('loadtests', import.meta.url);
