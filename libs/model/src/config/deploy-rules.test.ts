import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDeployStrategy, fastRollbackWindow } from './deploy-rules';
import { deploySettingsSchema } from './schema';
import { validateConfigText } from './validate-config';

const example = readFileSync(new URL('../../../../shipgate.yaml', import.meta.url), 'utf8');

/** The example with production's deploy section replaced by `deploy` (YAML lines, indented 6). */
function withProductionDeploy(deploy: string): string {
  const start = example.indexOf('    deploy:\n', example.indexOf('\n  production:\n'));
  expect(start).toBeGreaterThan(0);
  const end = example.indexOf('    promotion:', start);
  return `${example.slice(0, start)}    deploy:\n${deploy}${example.slice(end)}`;
}

function problemsOf(text: string) {
  const result = validateConfigText(text);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.problems;
}

describe('deploy.controller', () => {
  it('defaults to codedeploy, today’s behaviour; the example runs production on ecs', () => {
    const result = validateConfigText(example);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    // staging names no controller: CodeDeploy, as before deploy.controller existed.
    expect(result.config.environments.staging!.deploy.controller).toBe('codedeploy');
    expect(result.config.environments.staging!.deploy.deploymentConfig).toBe('CodeDeployDefault.ECSAllAtOnce');
    expect(result.config.environments.production!.deploy).toMatchObject({ controller: 'ecs', strategy: 'LINEAR' });
  });

  it('accepts ECS-native settings with a canary and applies the canary defaults', () => {
    const result = validateConfigText(
      withProductionDeploy(
        '      controller: ecs\n      strategy: CANARY\n      canary: { percent: 12.5 }\n      bakeTime: 3m\n',
      ),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const deploy = result.config.environments.production!.deploy;
    expect(deploy).toMatchObject({ controller: 'ecs', strategy: 'CANARY', bakeTime: '3m' });
    expect(deploy.canary).toEqual({ percent: 12.5, bakeTime: '10m' });
  });

  it('refuses a CodeDeploy-only key under controller ecs, naming the key, its path and line', () => {
    const text = withProductionDeploy(
      '      controller: ecs\n      deploymentConfig: CodeDeployDefault.ECSAllAtOnce\n      terminationWait: 5m\n',
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([
      'environments.production.deploy.deploymentConfig',
      'environments.production.deploy.terminationWait',
    ]);
    expect(problems[0]!.message).toBe(
      'deploy.deploymentConfig is read only by controller "codedeploy", but environment "production" uses controller "ecs"; it would be ignored',
    );
    expect(problems[0]!.hint).toContain('deploy.strategy');
    expect(problems[0]!.line).toBe(
      text
        .slice(0, text.indexOf('deploymentConfig: CodeDeployDefault.ECSAllAtOnce\n      terminationWait: 5m'))
        .split('\n').length,
    );
  });

  it('refuses ECS-only keys under the default controller', () => {
    const problems = problemsOf(withProductionDeploy('      strategy: LINEAR\n      bakeTime: 5m\n'));
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['CONFIG_INVALID', 'environments.production.deploy.strategy'],
      ['CONFIG_INVALID', 'environments.production.deploy.bakeTime'],
    ]);
    expect(problems[0]!.message).toContain('uses controller "codedeploy" (the default)');
    expect(problems[0]!.hint).toContain('deploy.controller: ecs');
  });

  it('refuses linear settings with another strategy', () => {
    const problems = problemsOf(withProductionDeploy('      controller: ecs\n      linear: { stepPercent: 20 }\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'environments.production.deploy.linear',
      message:
        'deploy.linear applies only to strategy LINEAR, but environment "production" uses strategy BLUE_GREEN (the default)',
      hint: 'Set deploy.strategy: LINEAR, or remove deploy.linear.',
    });
  });

  it('refuses ECS values outside what ECS accepts', () => {
    const problems = problemsOf(
      withProductionDeploy(
        '      controller: ecs\n      strategy: LINEAR\n      linear: { stepPercent: 2, stepBakeTime: 25h }\n      bakeTime: 2d\n',
      ),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'environments.production.deploy.bakeTime',
      'environments.production.deploy.linear.stepBakeTime',
      'environments.production.deploy.linear.stepPercent',
    ]);
    expect(problems.find((p) => p.path === 'environments.production.deploy.bakeTime')!.message).toContain(
      'at most 24h',
    );
  });

  it('refuses an unknown controller with the choices', () => {
    const problems = problemsOf(withProductionDeploy('      controller: ecs-native\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('environments.production.deploy.controller');
    expect(problems[0]!.message).toContain('"codedeploy"');
  });
});

describe('describeDeployStrategy and fastRollbackWindow', () => {
  it('say what each controller does, and which wait keeps the original up', () => {
    const codedeploy = deploySettingsSchema.parse({ terminationWait: '7m' });
    expect(describeDeployStrategy(codedeploy)).toBe('CodeDeploy CodeDeployDefault.ECSAllAtOnce');
    expect(fastRollbackWindow(codedeploy)).toBe('7m');
    const canary = deploySettingsSchema.parse({ controller: 'ecs', strategy: 'CANARY', bakeTime: '3m' });
    expect(describeDeployStrategy(canary)).toBe('ECS CANARY 5% for 10m, bake 3m');
    expect(fastRollbackWindow(canary)).toBe('3m');
    const linear = deploySettingsSchema.parse({ controller: 'ecs', strategy: 'LINEAR', linear: { stepPercent: 20 } });
    expect(describeDeployStrategy(linear)).toBe('ECS LINEAR 20% every 6m, bake 5m');
  });
});
