import { resolve } from 'node:path';
import { defineCommand } from '../command';
import { renderTable } from '../render/table';
import { readTaskTemplates } from '../support/task-templates';

/** `shipgate infra synth`: the CloudFormation templates of every environment, offline. */
export const command = defineCommand({
  name: 'infra synth',
  usage: 'shipgate infra synth [--out DIR]',
  description: [
    'Writes a CDK cloud assembly (one CloudFormation template per stack) from shipgate.yaml: the GitHub stack',
    '(OIDC provider, build role) and one stack per environment (VPC unless aws.network names one, load balancer',
    'with production and test listeners, blue and green target groups, ECS cluster and service, CodeDeploy',
    'application and deployment group, alarms, log groups, task execution roles, the deploy role). Offline: no AWS',
    "call and no credentials. cdk-nag's AwsSolutions rules run on every stack; a finding not acknowledged with a",
    'reason fails with INFRA_CHECK_FAILED. Deploy the result with `npx aws-cdk deploy --app DIR` (.github/README.md).',
  ].join('\n'),
  examples: ['shipgate infra synth --out cdk.out', 'shipgate infra synth --json'],
  options: {
    out: {
      type: 'string',
      placeholder: 'DIR',
      default: 'cdk.out',
      description: 'Where the cloud assembly goes (relative to the current directory)',
    },
  },
  async run(ctx) {
    const loaded = await ctx.config();
    const templates = await readTaskTemplates(loaded);
    const outdir = resolve(ctx.cwd, ctx.values.out);
    ctx.progress(`synthesizing ${Object.keys(loaded.config.environments).length + 1} stacks into ${ctx.values.out}`);
    // aws-cdk-lib is large: loaded only by this command, so that other commands start as fast as before.
    const { synthesize } = await import('@shipgate/infra/cdk');
    const report = synthesize(loaded.config, templates, outdir);
    return {
      json: report,
      human: [
        `wrote ${report.stacks.length} CloudFormation templates to ${ctx.values.out} (cdk-nag AwsSolutions: no unacknowledged findings)`,
        renderTable(
          ['stack', 'resources', 'template'],
          report.stacks.map((s) => [s.stack, String(s.resources), s.templateFile]),
        ),
      ].join('\n'),
    };
  },
});
