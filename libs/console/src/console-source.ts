import type { Ledger } from '@shipgate/ledger';
import type { Clock, Decision, Release } from '@shipgate/model';
import type { GateTrust } from '@shipgate/promotion-gate';

/** An environment, in promotion order, with the services it runs. */
export interface ConsoleEnvironment {
  name: string;
  services: string[];
}

/** What the console reads. It writes nothing: the ledger is only ever read. */
export interface ConsoleSource {
  ledger: Ledger;
  /** Environments in promotion order (shipgate.yaml). */
  environments: ConsoleEnvironment[];
  /** The decision `shipgate gate` would take now, recording nothing: the gate command's own function. */
  decide(release: Release, environment: string): Promise<Decision>;
  /**
   * The trust policy that evidence recorded in an environment is verified with (shipgate.yaml `trust`,
   * the profile in force); rejects when it cannot be loaded. Without it, nothing shows as verified.
   */
  trustFor?(environment: string): Promise<GateTrust | undefined>;
  /** Global options to repeat in suggested commands (`--state DIR`, `--config FILE`) so they act on this ledger. */
  commandPrefix: string[];
  clock: Clock;
  /** Where the ledger lives, for the page footer. */
  stateLocation: string;
}

/** The environment after `name` in promotion order, if any. */
export function nextEnvironment(source: Pick<ConsoleSource, 'environments'>, name: string): string | undefined {
  const i = source.environments.findIndex((e) => e.name === name);
  return i >= 0 ? source.environments[i + 1]?.name : undefined;
}
