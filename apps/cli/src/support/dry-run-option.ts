import type { OptionSpec } from '../command';

/** `--dry-run` for a command that records something: every check runs, the ledger writes are listed, not made. */
export const dryRunOption = {
  type: 'boolean',
  description: 'Run every check, then list the ledger records a real run would write and where; write nothing',
} as const satisfies OptionSpec;
