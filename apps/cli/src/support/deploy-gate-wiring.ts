import type { BaseContext, CommandSpec, OptionSpecs } from '../command';
import type { DeployGate, GateVerdict } from '../deploy/deploy-gate';
import { evaluateAndRecord, evaluateOnly, renderDecisionForPeople } from './gate';

/**
 * Wraps a command built around a DeployGate (deploy, promote) so that the gate it calls is the real
 * promotion gate, evaluated with the running command's context (the same config, ledger, actor and job
 * summary as the command itself).
 */
export function withPromotionGate<O extends OptionSpecs>(build: (gate: DeployGate) => CommandSpec<O>): CommandSpec<O> {
  let current: BaseContext | undefined;
  const gate: DeployGate = async ({ release, environment, preview }) => {
    const ctx = current!;
    const [loaded, ledger] = await Promise.all([ctx.config(), ctx.ledger()]);
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
    run: async (ctx) => {
      current = ctx;
      // Every deploy to an AWS target, with or without a promotion policy in the config it was given,
      // runs under the pinned policy and no profile: a copy of shipgate.yaml without the policy is refused.
      const environment = ctx.positionals[0];
      const loaded = await ctx.config();
      if (environment && Object.hasOwn(loaded.config.environments, environment)) {
        const { targetKindOf, requireProfileAllowed } = await import('./trust');
        const kind = targetKindOf(loaded, environment, ctx.env);
        requireProfileAllowed(loaded, environment, kind);
        if (kind === 'aws') await (await import('./policy-pin')).requirePinnedPolicy(loaded, environment);
      }
      return spec.run(ctx);
    },
  };
}
