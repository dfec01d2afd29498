import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { command as bootstrap } from '../../commands/bootstrap';
import { startDeployHarness, type DeployHarness } from './deploy-harness';
import { releaseAt, waitFor } from './probe';
import { runCommand } from './run-command';

/** The deploy harness with `production` (LINEAR) and `verify` (BLUE_GREEN) on the ECS-native controller. */
export interface EcsNativeHarness {
  h: DeployHarness;
  configFile: string;
  opts: () => { config: string; state: string; env: NodeJS.ProcessEnv; json: true };
  /** The production listener's release URL of an environment. */
  releaseUrl: (environment: 'production' | 'verify') => string;
  /** The ECS service deployments of an environment's service, newest first, with their statuses. */
  serviceDeployments: (environment: 'production' | 'verify') => Promise<{ arn: string; status: string }[]>;
  /** Until no service deployment is in flight (a finished deploy's clean-up, the bootstrap's first deployment). */
  settled: (environment: 'production' | 'verify') => Promise<void>;
}

/**
 * Starts local-cloud with the sample service and rewrites the harness config: production on ECS-native
 * (LINEAR, two 50 % steps of a minute, bake `bakeTime`), and `verify`, whose tasks claim another release
 * (SHIPGATE_RELEASE overridden) so that verification through the test listener must fail. Both are
 * bootstrapped with v1 and serve it.
 */
export async function startEcsNativeHarness(basePort: number, bakeTime = '10m'): Promise<EcsNativeHarness> {
  const h = await startDeployHarness({ basePort });
  const config = JSON.parse(await readFile(h.configFile, 'utf8')) as {
    environments: Record<string, { deploy: Record<string, unknown>; services: Record<string, unknown> }>;
  };
  const ecsDeploy = (extra: Record<string, unknown>) => {
    const { deploymentConfig: _config, terminationWait: _wait, ...rest } = config.environments['production']!.deploy;
    return { ...rest, controller: 'ecs', bakeTime, ...extra };
  };
  config.environments['production']!.deploy = ecsDeploy({
    strategy: 'LINEAR',
    linear: { stepPercent: 50, stepBakeTime: '1m' },
  });
  config.environments['verify'] = {
    dataPolicy: 'real',
    services: {
      'sample-service': {
        productionListenerPort: basePort + 6,
        testListenerPort: basePort + 7,
        environmentVariables: { SHIPGATE_RELEASE: 'rel-an-impostor' },
      },
    },
    deploy: ecsDeploy({ alarms: [] }),
  } as (typeof config.environments)[string];
  const configFile = join(h.dir, 'shipgate-ecs.yaml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const opts = () => ({ config: configFile, state: h.stateDir, env: h.env, json: true as const });
  const port = { production: basePort + 4, verify: basePort + 6 };
  const releaseUrl = (environment: 'production' | 'verify') =>
    `${h.cloud.listeners().find((l) => l.port === port[environment])!.url}/release`;
  const serviceDeployments = async (environment: 'production' | 'verify') =>
    (
      (
        await h.clients.ecs.send(
          new ListServiceDeploymentsCommand({ cluster: `sg-${environment}`, service: 'sample-service' }),
        )
      ).serviceDeployments ?? []
    )
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
      .map((d) => ({ arn: d.serviceDeploymentArn!, status: d.status! }));
  const active = new Set(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
  const settled = (environment: 'production' | 'verify') =>
    waitFor(
      `no service deployment in flight in ${environment}`,
      async () => !(await serviceDeployments(environment)).some((d) => active.has(d.status)),
      60_000,
    );
  for (const environment of ['production', 'verify'] as const) {
    const boot = await runCommand(
      bootstrap,
      [environment],
      { service: 'sample-service', release: h.releases.v1.id },
      opts(),
    );
    if (boot.exitCode !== 0) throw new Error(`bootstrap ${environment}: ${boot.outcome?.human ?? boot.error?.message}`);
    await settled(environment);
  }
  await waitFor('v1 to serve production', async () => (await releaseAt(releaseUrl('production'))) === h.releases.v1.id);
  // verify's tasks claim another release, so its production listener answers as that one.
  await waitFor('verify to serve', async () => (await releaseAt(releaseUrl('verify'))) === 'rel-an-impostor');
  return { h, configFile, opts, releaseUrl, serviceDeployments, settled };
}
