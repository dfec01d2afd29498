import type { HeldWrite } from '@shipgate/ledger';
import type { CommandOutcome } from '../command';

/**
 * A dry run's outcome: the command's own output, then what a real run would have written and where
 * (for people, one line per record; under --json, `dryRun` and `wouldWrite` beside the command's fields).
 */
export function withHeldWrites(outcome: CommandOutcome, writes: readonly HeldWrite[]): CommandOutcome {
  const listing = [
    `dry run: nothing was written; a real run would write ${writes.length} ledger record(s):`,
    ...writes.map((w) => `  ${w.action === 'create' ? 'create' : 'update'} ${w.where}  (${w.what})`),
  ];
  const wouldWrite = writes.map(({ key, where, action, what }) => ({ key, where, action, what }));
  const json =
    outcome.json && typeof outcome.json === 'object' && !Array.isArray(outcome.json)
      ? { ...outcome.json, dryRun: true, wouldWrite }
      : { result: outcome.json, dryRun: true, wouldWrite };
  return { ...outcome, json, human: [outcome.human, ...listing].filter(Boolean).join('\n') };
}
