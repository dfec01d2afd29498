import type { Clock } from '@shipgate/model';

/**
 * The contract every command file implements. `main.ts` parses argv with node's `parseArgs` using
 * `options`, builds a CommandContext and calls `run`; the command returns data, and main renders it:
 * `json` on stdout under `--json`, `human` text otherwise. Progress goes to stderr through `ctx.progress`.
 * Expected failures (gate blocked, deploy failed) return an outcome with exitCode 1; user and
 * infrastructure errors throw ShipgateError.
 */
export interface CommandSpec {
  /** The words that select the command: `seed`, `data verify`, `release create`. */
  name: string;
  summary: string;
  /** One usage line, e.g. `shipgate seed <env> --service S [--profile P] [--seed N]`. */
  usage: string;
  /** At least one runnable example. */
  examples: string[];
  /** Longer help text (optional). */
  description?: string;
  /** Options in node:util parseArgs form, with a description for `--help`. */
  options: Record<string, OptionSpec>;
  /** Positional arguments, in order. */
  positionals?: PositionalSpec[];
  /** Allow `-- <command…>` passthrough arguments (collected in `ctx.rest`). */
  allowRest?: boolean;
  run(ctx: CommandContext): Promise<CommandOutcome>;
}

/** One flag. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  default?: string | boolean;
  description: string;
  /** Placeholder shown in help, e.g. `N`, `FILE`. */
  placeholder?: string;
}

/** One positional argument. */
export interface PositionalSpec {
  name: string;
  required: boolean;
  description: string;
}

/** Options every command accepts. */
export interface GlobalOptions {
  config: string;
  json: boolean;
  state: string;
  as?: string;
  quiet: boolean;
  /** A policy profile from shipgate.yaml `profiles`, selected with --policy-profile or SHIPGATE_POLICY_PROFILE. */
  profile?: string;
}

/** What a command gets to work with. Everything effectful is built lazily by main. */
export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  /** Arguments after `--`, when the command allows them. */
  rest: string[];
  global: GlobalOptions;
  cwd: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** The actor recorded in the audit log: --as, GITHUB_ACTOR, git user, OS user. */
  actor(): Promise<string>;
  /** A progress line for people (stderr; silent under --json or --quiet). */
  progress(message: string): void;
  /** A warning for people (stderr, also under --json). */
  warn(message: string): void;
  /** Appends Markdown to the GitHub job summary when GITHUB_STEP_SUMMARY is set. */
  stepSummary(markdown: string): Promise<void>;
}

/** A command's result. */
export interface CommandOutcome {
  /** 0 by default; 1 for a gate that blocked or a deploy that failed. */
  exitCode?: number;
  /** The machine-readable result printed under --json. */
  json: unknown;
  /** The text for people. */
  human: string;
}

/** How main finds a command without loading it: the module is imported only when the command runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  example: string;
  load: () => Promise<{ command: CommandSpec }>;
}
