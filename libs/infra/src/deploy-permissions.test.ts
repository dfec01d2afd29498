import { describe, expect, it } from 'vitest';
import { commandPermissions, deployPolicyStatements, impliedPermissions } from './deploy-permissions';
import { describeEnvironment } from './describe-environment';
import { scanSdkCommands } from './sdk-commands';
import { exampleConfig, exampleTemplates, repositoryRoot } from './testing/example-config';

const uses = scanSdkCommands(repositoryRoot);

describe('the deploy role grants what the code sends', () => {
  it('finds the commands of the deploy engine, rollback and the ledger (the scan works)', () => {
    const names = new Set(uses.map((u) => `${u.client}:${u.command}`));
    for (const n of ['codedeploy:CreateDeploymentCommand', 'ecs:RegisterTaskDefinitionCommand', 's3:PutObjectCommand'])
      expect(names).toContain(n);
    // Sent through the CLI's lazy `await import('@aws-sdk/client-kms')`: the scan reads that form too.
    expect(names).toContain('kms:SignCommand');
  });

  it('knows every AWS SDK command the code sends: granted, or bootstrap-only and sent by bootstrap alone', () => {
    const problems: string[] = [];
    for (const use of uses) {
      const permission = commandPermissions[use.client]?.[use.command];
      if (!permission) {
        problems.push(
          `${use.file} sends ${use.command} (@aws-sdk/client-${use.client}): add it to commandPermissions in libs/infra/src/deploy-permissions.ts`,
        );
      } else if ('notGranted' in permission && !permission.onlyIn.includes(use.file)) {
        problems.push(
          `${use.file} sends ${use.command}, which the deploy role does not grant (${permission.notGranted}): grant it or keep it in ${permission.onlyIn.join(', ')}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("puts every granted command's actions into each environment's policy", () => {
    const config = exampleConfig();
    const templates = exampleTemplates(config);
    for (const environment of Object.keys(config.environments)) {
      const env = describeEnvironment(config, environment, templates);
      const granted = new Set(
        deployPolicyStatements(env, { executionRoles: ['arn:role'], infrastructureRole: 'arn:infra' }).flatMap(
          (s) => s.actions,
        ),
      );
      for (const use of uses) {
        const p = commandPermissions[use.client]?.[use.command];
        if (!p || !('actions' in p)) continue;
        // Alarms and the ledger bucket are granted where the environment has some.
        if (p.resource === 'alarm' && !env.services.some((s) => s.alarms.length)) continue;
        // CodeDeploy's actions are granted where a service uses CodeDeploy, ECS-native ones where one uses ECS.
        if (p.resource.startsWith('codedeploy-') && !env.services.some((s) => s.target.deploy.controller !== 'ecs'))
          continue;
        if (
          (p.resource.startsWith('ecs-service-') || p.resource === 'ecs-native-service') &&
          !env.services.some((s) => s.target.deploy.controller === 'ecs')
        )
          continue;
        for (const action of p.actions) expect(granted, `${environment}: ${use.command} → ${action}`).toContain(action);
      }
      for (const p of impliedPermissions)
        if (p.resource !== 'ecs-infrastructure-role' && !p.resource.startsWith('codedeploy-'))
          for (const a of p.actions) expect(granted).toContain(a);
    }
  });

  it('grants nothing the code does not send', () => {
    const sent = new Set(uses.map((u) => `${u.client}:${u.command}`));
    const config = exampleConfig();
    const env = describeEnvironment(config, 'production', exampleTemplates(config));
    const fromCommands = new Map<string, string>();
    for (const [client, commands] of Object.entries(commandPermissions))
      for (const [command, p] of Object.entries(commands))
        if ('actions' in p) for (const a of p.actions) fromCommands.set(a, `${client}:${command}`);
    const implied = new Set(impliedPermissions.flatMap((p) => p.actions));
    for (const action of deployPolicyStatements(env, {
      executionRoles: ['arn:role'],
      infrastructureRole: 'arn:infra',
    }).flatMap((s) => s.actions)) {
      if (implied.has(action)) continue;
      expect(sent, `${action} is granted but no code sends ${fromCommands.get(action)}`).toContain(
        fromCommands.get(action),
      );
    }
  });
});
