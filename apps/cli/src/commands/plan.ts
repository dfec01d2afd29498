import { defineCommand } from '../command';
import { renderTable } from '../render/table';

/** `shipgate plan`: the pipeline as configured, environment by environment, with what guards each. */
export const command = defineCommand({
  name: 'plan',
  usage: 'shipgate plan [--config FILE]',
  examples: ['shipgate plan', 'shipgate plan --json'],
  options: {},
  async run(ctx) {
    const [{ config }, { describeDeployStrategy }] = await Promise.all([ctx.config(), import('@shipgate/model')]);
    const stages = Object.entries(config.environments).map(([name, env]) => {
      const p = env.promotion;
      const guards: string[] = [];
      if (p) {
        guards.push(`evidence from ${p.from}`);
        if (p.qa) guards.push('QA');
        if (p.stress) guards.push('stress');
        if (p.approvals && p.approvals.required > 0) guards.push(`${p.approvals.required} approval(s)`);
        if (p.freezeWindows?.length) guards.push(`${p.freezeWindows.length} freeze window(s)`);
      }
      const steps = [`deploy (blue/green, ${env.deploy.controller === 'ecs' ? 'ECS-native' : 'CodeDeploy'})`];
      if (env.dataPolicy === 'synthetic') steps.push('seed synthetic data');
      return {
        environment: name,
        dataPolicy: env.dataPolicy,
        region: env.aws.region,
        services: Object.keys(env.services),
        controller: env.deploy.controller,
        strategy: describeDeployStrategy(env.deploy),
        gate: guards.length ? guards : ['none'],
        steps,
      };
    });
    const human = [
      `Pipeline of ${config.project}: ${stages.map((s) => s.environment).join(' → ')}`,
      '',
      renderTable(
        ['environment', 'data', 'services', 'gate', 'deploy'],
        stages.map((s) => [s.environment, s.dataPolicy, s.services.join(', '), s.gate.join(' + '), s.strategy]),
      ),
    ].join('\n');
    return { json: { project: config.project, stages }, human };
  },
});
