import { ShipgateError, ownValue, type Decision, type Release } from '@shipgate/model';
import type { ParityObservation } from '@shipgate/promotion-gate';
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
  ctx: Pick<CommandContext, 'clock' | 'actor' | 'stepSummary' | 'env' | 'aws' | 'progress'>,
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
  ctx: Pick<CommandContext, 'clock' | 'aws' | 'progress'>,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
  override?: OverrideRequest,
): Promise<Decision> {
  const gate = await import('@shipgate/promotion-gate');
  const policy = ownValue(loaded.config.environments, environment)?.promotion;
  const evidence = await ledger.evidence.list({ digest: release.digest });
  const parity = policy?.parity
    ? await observeParity(ctx, loaded, release.service, policy.from, environment)
    : undefined;
  return gate.evaluateGate({
    release,
    environment,
    policy,
    evidence,
    now: ctx.clock.now(),
    ...(override ? { overrides: [override] } : {}),
    ...(parity ? { parity } : {}),
  });
}

/** Parity for the gate: declared and live; a live side that cannot be read is a note, not a crash. */
async function observeParity(
  ctx: Pick<CommandContext, 'aws' | 'progress'>,
  loaded: LoadedConfig,
  service: string,
  from: string,
  environment: string,
): Promise<ParityObservation | undefined> {
  if (!ownValue(loaded.config.environments, from)?.services[service]) return undefined;
  const { computeParity } = await import('./parity');
  let report;
  try {
    report = await computeParity(ctx, loaded, service, [from, environment], { live: true });
  } catch (error) {
    if (!(error instanceof ShipgateError) || error.source !== 'infrastructure') throw error;
    report = await computeParity(ctx, loaded, service, [from, environment], { live: false });
    report = { ...report, liveNote: `${error.code}: ${error.message}` };
  }
  return {
    from,
    unexpected: report.differences
      .filter((d) => !d.expected)
      .map((d) => ({ setting: d.setting, source: d.source, from: d.a, here: d.b })),
    expected: report.expected,
    ...(report.liveCompared ? {} : { liveNote: report.liveNote ?? 'not compared' }),
  };
}

/** The decision for people: headline, table, and the profile in force when one is. */
export async function renderDecisionForPeople(decision: Decision, profile?: string): Promise<string> {
  const gate = await import('@shipgate/promotion-gate');
  const note = profile ? `\n(policy profile "${profile}" in force: see profiles.${profile} in shipgate.yaml)` : '';
  return `${gate.renderDecisionTable(decision)}${note}`;
}
