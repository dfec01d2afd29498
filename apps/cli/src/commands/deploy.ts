import { defineCommand, type CommandSpec } from '../command';
import { runDeployCommand } from '../deploy/deploy-command';
import type { DeployGate } from '../deploy/deploy-gate';
import { deployOptions } from '../deploy/deploy-options';

/** Builds the deploy command around a promotion gate (the registry wires the real one). */
export function createDeployCommand(gate: DeployGate | undefined) {
  return defineCommand({
    name: 'deploy',
    usage:
      'shipgate deploy <env> --service S --release R [--wait complete|traffic] [--if-busy fail|wait|supersede] [--break-glass] [--dry-run]',
    description: [
      "Registers a task definition for the release, starts a blue/green deployment through the environment's controller (deploy.controller: CodeDeploy, or ECS-native), verifies the replacement",
      'through the test listener before production traffic moves (every smoke request must name the release), follows the',
      'traffic shift and records the outcome. Every wait has a deadline computed from the environment’s deploy settings.',
      'A promotion gate that blocks refuses the deploy; --break-glass deploys anyway only on a verified break-glass override (`shipgate approve <env> --break-glass`), records it on the deployment and in the audit log, and the deployment never counts as last known good until a later deploy of the same release passes the gate.',
      'Re-running after a crash attaches to the deployment in flight of the same release (digest and release id); a deploy of another release, even one built to the same image, meets --if-busy (default: refused).',
    ].join('\n'),
    examples: [
      'shipgate deploy staging --service sample-service --release rel-3f9a',
      'shipgate deploy production --service sample-service --release rel-3f9a --wait traffic --json',
      'shipgate deploy test --service sample-service --release rel-3f9a --if-busy supersede',
      'shipgate deploy production --service sample-service --release rel-3f9a --break-glass',
    ],
    options: deployOptions,
    positionals: [{ name: 'environment', required: true, description: 'Target environment, e.g. staging' }],
    run: (ctx) => runDeployCommand(ctx, { gate }),
  });
}

/**
 * `shipgate deploy`. The promotion gate is wired here, at its one call site; until it is, environments
 * with a promotion policy refuse to deploy (never a gate that passes by default).
 */
export const command: CommandSpec = createDeployCommand(undefined);
