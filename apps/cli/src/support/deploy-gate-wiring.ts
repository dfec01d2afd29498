import type { CommandContext, CommandSpec } from '../command';
import type { DeployGate, GateVerdict } from '../deploy/deploy-gate';
import { loadConfig } from './config';
import { evaluateAndRecord, evaluateOnly, renderDecisionForPeople } from './gate';
import { openLedgerFor } from './ledger';

/**
 * Wraps a command built around a DeployGate (deploy, promote) so that the gate it calls is the real
 * promotion gate, evaluated with the running command's context (config, ledger, actor, job summary).
 */
export function withPromotionGate(build: (gate: DeployGate) => CommandSpec): CommandSpec {
  let current: CommandContext | undefined;
  const gate: DeployGate = async ({ release, environment, preview }) => {
    const ctx = current!;
    const loaded = await loadConfig(ctx);
    const ledger = await openLedgerFor(ctx);
    const decision = preview
      ? await evaluateOnly(ctx, loaded, ledger, release, environment)
      : await evaluateAndRecord(ctx, loaded, ledger, release, environment);
    const verdict: GateVerdict =
      decision.outcome === 'pass'
        ? { outcome: 'pass', decisionId: decision.id }
        : {
            outcome: 'block',
            decisionId: decision.id,
            summary: await renderDecisionForPeople(decision, loaded.profile),
            report: decision,
          };
    ctx.progress(
      `gate for ${environment}${preview ? ' (dry run, not recorded)' : ''}: ${decision.outcome.toUpperCase()} (${decision.requirements.filter((r) => r.status === 'pass').length}/${decision.requirements.length} requirements pass)`,
    );
    return verdict;
  };
  const spec = build(gate);
  return {
    ...spec,
    run: (ctx) => {
      current = ctx;
      return spec.run(ctx);
    },
  };
}
