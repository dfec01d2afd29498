/** Runs the CLI from source in a child process (`node --import tsx main-child.ts <argv…>`), for tests that signal it. */
import { main } from '../main';

process.exitCode = await main(process.argv.slice(2));
