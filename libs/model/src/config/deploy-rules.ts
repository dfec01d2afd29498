import {
  deploySettingsSchema,
  controllerOnlyDeployKeys,
  deployControllers,
  type DeployController,
  type DeploySettings,
} from './schema';

/** A problem of one environment's `deploy` section, with its path as segments. */
export interface DeployRuleProblem {
  code: 'CONFIG_INVALID';
  message: string;
  path: string[];
  hint: string;
}

const otherController: Record<DeployController, DeployController> = { codedeploy: 'ecs', ecs: 'codedeploy' };

/**
 * The rules of `environments.<env>.deploy` a schema cannot say: a key only one controller reads is
 * refused under the other (it would be silently ignored), and `linear` / `canary` need the strategy
 * that uses them. Runs on the raw document, so that a key left at its default is not mistaken for one written.
 */
export function deployRuleProblems(environment: string, deploy: unknown): DeployRuleProblem[] {
  if (!deploy || typeof deploy !== 'object' || Array.isArray(deploy)) return [];
  const raw = deploy as Record<string, unknown>;
  const controller = raw['controller'] ?? 'codedeploy';
  if (!deployControllers.includes(controller as DeployController)) return [];
  const mine = controller as DeployController;
  const other = otherController[mine];
  const at = (key: string) => ['environments', environment, 'deploy', key];
  const problems: DeployRuleProblem[] = [];
  for (const key of controllerOnlyDeployKeys[other]) {
    if (!(key in raw)) continue;
    problems.push({
      code: 'CONFIG_INVALID',
      message: `deploy.${key} is read only by controller "${other}", but environment "${environment}" uses controller "${mine}"${raw['controller'] === undefined ? ' (the default)' : ''}; it would be ignored`,
      path: at(key),
      hint:
        mine === 'ecs'
          ? `Remove deploy.${key}; with controller: ecs set deploy.strategy (BLUE_GREEN, LINEAR or CANARY), deploy.linear or deploy.canary, and deploy.bakeTime.`
          : `Remove deploy.${key}, or set deploy.controller: ecs to use ECS-native blue/green; with CodeDeploy set deploy.deploymentConfig and deploy.terminationWait.`,
    });
  }
  if (mine !== 'ecs') return problems;
  const strategy = raw['strategy'] ?? 'BLUE_GREEN';
  for (const [key, wants] of [
    ['linear', 'LINEAR'],
    ['canary', 'CANARY'],
  ] as const) {
    if (key in raw && strategy !== wants)
      problems.push({
        code: 'CONFIG_INVALID',
        message: `deploy.${key} applies only to strategy ${wants}, but environment "${environment}" uses strategy ${String(strategy)}${raw['strategy'] === undefined ? ' (the default)' : ''}`,
        path: at(key),
        hint: `Set deploy.strategy: ${wants}, or remove deploy.${key}.`,
      });
  }
  return problems;
}

/**
 * How long the original keeps running after all production traffic moved, so that a rollback is
 * instant: CodeDeploy's termination wait or ECS's bake time, as the environment's controller reads it.
 */
export function fastRollbackWindow(deploy: DeploySettings): string {
  return deploy.controller === 'ecs' ? deploy.bakeTime : deploy.terminationWait;
}

/** ECS-native traffic shifting of an environment, with the schema's defaults for an omitted `linear` / `canary`. */
export type EcsTrafficShift =
  | { strategy: 'BLUE_GREEN' }
  | { strategy: 'LINEAR'; stepPercent: number; stepBakeTime: string }
  | { strategy: 'CANARY'; percent: number; bakeTime: string };

/** The ECS-native strategy an environment asks for (`deploy.strategy` with its `linear` or `canary` settings). */
export function ecsTrafficShift(deploy: DeploySettings): EcsTrafficShift {
  const shape = deploySettingsSchema.shape;
  if (deploy.strategy === 'LINEAR')
    return { strategy: 'LINEAR', ...(deploy.linear ?? shape.linear.unwrap().parse({})) };
  if (deploy.strategy === 'CANARY')
    return { strategy: 'CANARY', ...(deploy.canary ?? shape.canary.unwrap().parse({})) };
  return { strategy: 'BLUE_GREEN' };
}

/** How an environment's deployments shift traffic, in one line for people: the controller and its strategy. */
export function describeDeployStrategy(deploy: DeploySettings): string {
  if (deploy.controller === 'codedeploy') return `CodeDeploy ${deploy.deploymentConfig}`;
  const shift = ecsTrafficShift(deploy);
  const bake = `, bake ${deploy.bakeTime}`;
  if (shift.strategy === 'LINEAR') return `ECS LINEAR ${shift.stepPercent}% every ${shift.stepBakeTime}${bake}`;
  if (shift.strategy === 'CANARY') return `ECS CANARY ${shift.percent}% for ${shift.bakeTime}${bake}`;
  return `ECS BLUE_GREEN (all at once)${bake}`;
}
