import type { BaseContext } from './command';
import type { Output } from './render/output';
import { detectActor } from './support/actor';

/** What main knows before a command runs: the parsed command line, the process, and where output goes. */
export type ContextInput = Pick<BaseContext, 'positionals' | 'rest' | 'global' | 'cwd' | 'env' | 'clock'> & {
  io: Output;
};

/**
 * The context every command runs with. Config, ledger and AWS clients are built on first use and
 * memoized, so a command (and the commands it runs, like promote running deploy and its gate) reads
 * shipgate.yaml once and opens the ledger once. The modules behind them are imported only then: the
 * CLI entry stays free of the AWS SDK, YAML and schema code, which keeps `--help` and `--version` fast.
 */
export function createBaseContext(input: ContextInput): BaseContext {
  const { global, cwd, env, io } = input;
  const once = <T>(build: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= build());
  };
  const config = once(async () => (await import('./support/config')).loadConfig({ global, cwd }));
  const ledger = once(async () => (await import('./support/ledger')).openLedgerFor({ global, cwd, env }));
  const actor = once(() => detectActor(global.as, env));
  const clients = new Map<string, ReturnType<BaseContext['aws']>>();
  const aws = (region: string) => {
    let built = clients.get(region);
    if (!built) {
      built = (async () => {
        const [{ createAwsClients, resolveAwsSettings }, loaded] = await Promise.all([
          import('./support/aws'),
          config(),
        ]);
        return createAwsClients(resolveAwsSettings(loaded.config, region, env));
      })();
      clients.set(region, built);
    }
    return built;
  };
  return {
    positionals: input.positionals,
    rest: input.rest,
    global,
    cwd,
    env,
    clock: input.clock,
    config,
    ledger,
    aws,
    actor,
    progress: (message) => {
      if (!global.json && !global.quiet) io.stderr(message + '\n');
    },
    warn: (message) => io.stderr(`warning: ${message}\n`),
    toolOutput: (line) => {
      if (!global.quiet) io.stderr(line + '\n');
    },
    stepSummary: async (markdown) => {
      const file = env.GITHUB_STEP_SUMMARY;
      if (!file) return;
      const { appendFile } = await import('node:fs/promises');
      await appendFile(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
    },
  };
}
