import { systemClock } from '@shipgate/model';
import type { CommandOutcome, CommandSpec, OptionValues } from '../../command';
import { createBaseContext } from '../../context';
import { completeOptionValues } from '../../option-values';

/** What one in-process command run produced. */
export interface CommandRun {
  exitCode: number;
  outcome?: CommandOutcome;
  error?: { code: string; message: string; hint?: string; exitCode: number };
  progress: string[];
}

/**
 * Runs a command spec in-process the way main.ts does (defaults applied, errors mapped to exit codes),
 * for tests of commands that the registry does not list yet.
 */
export async function runCommand(
  spec: CommandSpec,
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
  opts: {
    config: string;
    state: string;
    env: NodeJS.ProcessEnv;
    cwd?: string;
    json?: boolean;
    onProgress?: (line: string) => void;
  },
): Promise<CommandRun> {
  const progress: string[] = [];
  const base = createBaseContext({
    positionals,
    rest: [],
    global: {
      config: opts.config,
      state: opts.state,
      json: opts.json ?? false,
      quiet: false,
      as: 'tester@example.com',
    },
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env,
    clock: systemClock,
    io: { stdout: () => {}, stderr: () => {} },
  });
  const ctx = {
    ...base,
    values: completeOptionValues(spec.options, values) as OptionValues<typeof spec.options>,
    actor: async () => 'tester@example.com',
    progress: (m: string) => {
      progress.push(m);
      opts.onProgress?.(m);
    },
    warn: (m: string) => progress.push(`warning: ${m}`),
    stepSummary: async () => {},
  };
  try {
    const outcome = await spec.run(ctx);
    return { exitCode: outcome.exitCode ?? 0, outcome, progress };
  } catch (error) {
    const e = error as { code?: string; message: string; hint?: string; exitCode?: number };
    if (!e.code || e.exitCode === undefined) throw error;
    return {
      exitCode: e.exitCode,
      error: { code: e.code, message: e.message, exitCode: e.exitCode, ...(e.hint ? { hint: e.hint } : {}) },
      progress,
    };
  }
}
