import type { Clock } from '@shipgate/model';
import type { HeldWrite, Ledger } from '@shipgate/ledger';
import type { AwsClients } from './support/aws';
import type { LoadedConfig } from './support/config';

/**
 * The command contract. How to add a command:
 *
 * 1. Write `src/commands/<words>.ts` exporting `command = defineCommand({ name, usage, examples, options,
 *    positionals?, run })`. Declare options inline: their types flow into `ctx.values` (a string option is
 *    `string | undefined`, one with a `default` is `string`, a boolean is `boolean`, `multiple` is
 *    `string[]`), so a command never casts an option value.
 * 2. Add one entry to `registry.ts`: its `summary` and headline `example` live there and only there;
 *    `shipgate --help` and `shipgate <words> --help` both print them (a test runs both for every command).
 * 3. In `run`, take what you need from the context and nothing else: `await ctx.config()` (shipgate.yaml,
 *    read and validated once per run), `await ctx.ledger()` (opened once on --state), `await
 *    ctx.aws(region)` (the SDK clients for that region, built once). They are built on first use, so a
 *    command that needs no config never reads one, and `--help`/`--version` never load the AWS SDK.
 * 4. Return data: `json` for --json, `human` for people, `exitCode` 1 for an expected failure (a gate
 *    that blocked, a deploy that failed). User and infrastructure errors throw ShipgateError. Decisions
 *    (who may approve, what a CodeDeploy status means) belong to the library that owns them, not here.
 */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** The words that select the command: `seed`, `data verify`, `release create`. */
  name: string;
  /** One usage line, e.g. `shipgate seed <env> --service S [--profile P] [--seed N]`. */
  usage: string;
  /** At least one runnable example; `--help` shows the registry's headline example first, then these. */
  examples: string[];
  /** Longer help text (optional). */
  description?: string;
  /** Options in node:util parseArgs form, with a description for `--help`. */
  options: O;
  /** Positional arguments, in order. */
  positionals?: PositionalSpec[];
  /** Allow `-- <command…>` passthrough arguments (collected in `ctx.rest`). */
  allowRest?: boolean;
  run(ctx: CommandContext<O>): Promise<CommandOutcome>;
}

/** Declares a command; the option declarations type `ctx.values` (no `as const` needed). */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
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

/** A command's flags by name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed value of one flag, as main hands it over (any of them for a flag not declared literally). */
export type OptionValue<O extends OptionSpec> = OptionSpec extends O
  ? string | boolean | string[] | undefined
  : O extends { type: 'boolean' }
    ? boolean
    : O extends { multiple: true }
      ? string[]
      : O extends { default: string }
        ? string
        : string | undefined;

/** The parsed values of a command's flags: booleans default to false, `multiple` to [], defaults applied. */
export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]: OptionValue<O[K]> };

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

/** What every command gets, whatever its options. Everything effectful is built lazily, once per run. */
export interface BaseContext {
  /**
   * True under `--dry-run`: the ledger then holds every write back (see DryRunStateStore) and main lists
   * them after the command; a command still runs each check, and skips only effects outside the ledger.
   */
  dryRun: boolean;
  /** The ledger writes a dry run held back, in order (empty outside a dry run). */
  heldWrites(): readonly HeldWrite[];
  /** Signs an audit checkpoint when this run appended to the log; main calls it after every command. */
  sealAudit(): Promise<void>;
  positionals: string[];
  /** Arguments after `--`, when the command allows them. */
  rest: string[];
  global: GlobalOptions;
  cwd: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** shipgate.yaml (--config), read, validated and profiled on first call; the same object after. */
  config(): Promise<LoadedConfig>;
  /** The ledger on --state, opened on first call; the same ledger after. */
  ledger(): Promise<Ledger>;
  /** The AWS SDK clients for a region (endpoint and credentials from the config and env), built once per region. */
  aws(region: string): Promise<AwsClients>;
  /** The actor recorded in the audit log: --as, GITHUB_ACTOR, git user, OS user. */
  actor(): Promise<string>;
  /** A progress line for people (stderr; silent under --json or --quiet). */
  progress(message: string): void;
  /** A line people must see that is no warning, e.g. where a server listens (stderr, also under --json and --quiet). */
  notice(message: string): void;
  /** A warning for people (stderr, also under --json). */
  warn(message: string): void;
  /**
   * A line a tool shipgate runs printed (k6): stderr, also under --json, so that the tool's own words stay
   * visible and stdout stays JSON; silent under --quiet.
   */
  toolOutput(line: string): void;
  /** Appends Markdown to the GitHub job summary when GITHUB_STEP_SUMMARY is set. */
  stepSummary(markdown: string): Promise<void>;
}

/** What a command gets to work with: the shared context plus its own typed option values. */
export interface CommandContext<O extends OptionSpecs = OptionSpecs> extends BaseContext {
  values: OptionValues<O>;
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
  /** The one summary of the command, shown by `shipgate --help` and `shipgate <name> --help`. */
  summary: string;
  /** The headline example, shown by both helps too. */
  example: string;
  load: () => Promise<{ command: CommandSpec }>;
}
