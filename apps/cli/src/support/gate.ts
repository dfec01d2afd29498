import { ShipgateError, ownValue, type Decision, type Evidence, type Release } from '@shipgate/model';
import type { ParityObservation } from '@shipgate/promotion-gate';
import type { Ledger } from '@shipgate/ledger';
import type { CommandContext } from '../command';
import type { LoadedConfig } from './config';
import { loadTrust } from './trust';

/** An emergency override asked for on the command line: signed with the person's SSH key (`--key` or ssh-agent). */
export interface OverrideRequest {
  reason: string;
  keyPath?: string;
}

type GateContext = Pick<
  CommandContext,
  'clock' | 'actor' | 'stepSummary' | 'env' | 'global' | 'cwd' | 'warn' | 'aws' | 'progress'
>;

/**
 * Evaluates the promotion gate for a release entering an environment, records the decision (and any
 * override asked for, signed by the person) in the ledger, and appends the Markdown to the GitHub job
 * summary when set.
 */
export async function evaluateAndRecord(
  ctx: GateContext,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
  override?: OverrideRequest,
): Promise<Decision> {
  const gate = await import('@shipgate/promotion-gate');
  if (override) await recordOverride(ctx, loaded, ledger, release, environment, override);
  const decision = await evaluateOnly(ctx, loaded, ledger, release, environment);
  await ledger.decisions.add(decision, await ctx.actor());
  await ctx.stepSummary(gate.renderDecisionMarkdown(decision));
  return decision;
}

/** Records a freeze override, signed by the person: bound to the freeze window in force now, expiring with it or in 24 h. */
async function recordOverride(
  ctx: GateContext,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
  override: OverrideRequest,
): Promise<void> {
  const gate = await import('@shipgate/promotion-gate');
  const { signRecord } = await import('@shipgate/trust');
  const { personSigner } = await import('./signers');
  const { originFor } = await import('./evidence');
  const now = ctx.clock.now();
  const windows = ownValue(loaded.config.environments, environment)?.promotion?.freezeWindows ?? [];
  const active = windows.find((w) => gate.isInsideFreezeWindow(w, now));
  const trust = await loadTrust(ctx, loaded, environment);
  const { signer, principal } = await personSigner(ctx, trust, override.keyPath);
  const record = gate.overrideEvidence(
    {
      by: principal,
      reason: override.reason,
      freeze: active?.name ?? 'none',
      expiresAt: new Date(now.getTime() + gate.overrideLifetimeMs).toISOString(),
    },
    { release, environment, origin: await originFor(ctx), recordedAt: now },
  );
  const signed = await signRecord(record, gate.evidenceCodec as never, [signer]);
  await ledger.evidence.add(signed as Evidence, principal);
}

/** The decision the gate would take now, recording nothing: for dry runs. */
export async function evaluateOnly(
  ctx: Pick<CommandContext, 'clock' | 'env' | 'global' | 'cwd' | 'warn' | 'aws' | 'progress'>,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
): Promise<Decision> {
  const gate = await import('@shipgate/promotion-gate');
  const policy = ownValue(loaded.config.environments, environment)?.promotion;
  const { trust, provenance } = await loadTrust(ctx, loaded, environment);
  const [evidence, deployments] = await Promise.all([
    ledger.evidence.list({ digest: release.digest }),
    policy ? ledger.deployments.list({ service: release.service, environment: policy.from }) : [],
  ]);
  const parity = policy?.parity
    ? await observeParity(ctx, loaded, release.service, policy.from, environment)
    : undefined;
  return gate.evaluateGate({
    release,
    environment,
    policy,
    evidence,
    deployments,
    now: ctx.clock.now(),
    trust,
    provenance,
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
