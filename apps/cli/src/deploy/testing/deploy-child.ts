/**
 * Runs `shipgate deploy` in a child process for the crash test: argv[2] is a JSON object with
 * positionals, values, config, state and env. Progress lines go to stdout as they happen.
 */
import { command } from '../../commands/deploy';
import { runCommand } from './run-command';

const input = JSON.parse(process.argv[2]!) as {
  positionals: string[];
  values: Record<string, string>;
  config: string;
  state: string;
  env: NodeJS.ProcessEnv;
};
const run = await runCommand(command, input.positionals, input.values, {
  config: input.config,
  state: input.state,
  env: input.env,
  onProgress: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`exit ${run.exitCode}\n`);
process.exit(run.exitCode);
