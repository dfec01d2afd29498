// The shared test settings live at the workspace root, outside any project.
import { projectTestConfig } from '../vitest.shared';

export default projectTestConfig('loadtests', import.meta.url);
