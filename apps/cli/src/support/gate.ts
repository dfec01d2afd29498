import { ownValue, type Decision, type Evidence, type Release } from '@shipgate/model';
import type { Ledger } from '@shipgate/ledger';
import type { CommandContext } from '../command';
import type { LoadedConfig } from './config';
import { loadTrust } from './trust';

/** An emergency override asked for on the command line: signed with the person's SSH key (`--key` or ssh-agent). */
export interface OverrideRequest {
  reason: string;
  keyPath?: string;
}

type GateContext = Pick<CommandContext, 'clock' | 'actor' | 'stepSummary' | 'env' | 'global' | 'cwd' | 'warn'>;

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
  ctx: Pick<CommandContext, 'clock' | 'env' | 'global' | 'cwd' | 'warn'>,
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
  return gate.evaluateGate({
    release,
    environment,
    policy,
    evidence,
    deployments,
    now: ctx.clock.now(),
    trust,
    provenance,
  });
}

/** The decision for people: headline, table, and the profile in force when one is. */
export async function renderDecisionForPeople(decision: Decision, profile?: string): Promise<string> {
  const gate = await import('@shipgate/promotion-gate');
  const note = profile ? `\n(policy profile "${profile}" in force: see profiles.${profile} in shipgate.yaml)` : '';
  return `${gate.renderDecisionTable(decision)}${note}`;
}
