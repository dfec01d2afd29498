/**
 * Runs `shipgate deploy` (or `rollback`) in a child process for the crash tests: argv[2] is a JSON
 * object with the command, positionals, values, config, state and env. Progress lines go to stdout as
 * they happen.
 */
import { command as deploy } from '../../commands/deploy';
import { command as rollback } from '../../commands/rollback';
import type { ChildCommand } from './command-child';
import { runCommand } from './run-command';

const input = JSON.parse(process.argv[2]!) as ChildCommand;
const run = await runCommand(input.command === 'rollback' ? rollback : deploy, input.positionals, input.values, {
  config: input.config,
  state: input.state,
  env: input.env,
  onProgress: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`exit ${run.exitCode}\n`);
process.exit(run.exitCode);
