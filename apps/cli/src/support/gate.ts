import { ownValue, type Decision, type Release } from '@shipgate/model';
import type { Ledger } from '@shipgate/ledger';
import type { CommandContext } from '../command';
import type { LoadedConfig } from './config';

/** An emergency override asked for on the command line. */
export interface OverrideRequest {
  by: string;
  reason: string;
}

/**
 * Evaluates the promotion gate for a release entering an environment, records the decision (and any
 * override asked for) in the ledger, and appends the Markdown to the GitHub job summary when set.
 */
export async function evaluateAndRecord(
  ctx: Pick<CommandContext, 'clock' | 'actor' | 'stepSummary' | 'env'>,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
  override?: OverrideRequest,
): Promise<Decision> {
  const gate = await import('@shipgate/promotion-gate');
  const now = ctx.clock.now();
  const decision = await evaluateOnly(ctx, loaded, ledger, release, environment, override);
  const actor = await ctx.actor();
  if (override) {
    const { originFor } = await import('./evidence');
    const record = gate.overrideEvidence(override, {
      release,
      environment,
      origin: await originFor(ctx),
      recordedAt: now,
    });
    await ledger.evidence.add(record, actor);
  }
  await ledger.decisions.add(decision, actor);
  await ctx.stepSummary(gate.renderDecisionMarkdown(decision));
  return decision;
}

/** The decision the gate would take now, recording nothing: for dry runs. */
export async function evaluateOnly(
  ctx: Pick<CommandContext, 'clock'>,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
  override?: OverrideRequest,
): Promise<Decision> {
  const gate = await import('@shipgate/promotion-gate');
  const policy = ownValue(loaded.config.environments, environment)?.promotion;
  const evidence = await ledger.evidence.list({ digest: release.digest });
  return gate.evaluateGate({
    release,
    environment,
    policy,
    evidence,
    now: ctx.clock.now(),
    ...(override ? { overrides: [override] } : {}),
  });
}

/** The decision for people: headline, table, and the profile in force when one is. */
export async function renderDecisionForPeople(decision: Decision, profile?: string): Promise<string> {
  const gate = await import('@shipgate/promotion-gate');
  const note = profile ? `\n(policy profile "${profile}" in force: see profiles.${profile} in shipgate.yaml)` : '';
  return `${gate.renderDecisionTable(decision)}${note}`;
}
