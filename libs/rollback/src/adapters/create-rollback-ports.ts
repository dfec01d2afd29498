import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CodeDeployBlueGreen, EcsTaskDefinitions } from '@shipgate/ecs-deploy/aws';
import type { Ledger } from '@shipgate/ledger';
import type { Clock, Random, ServiceTarget } from '@shipgate/model';
import type { RollbackControlPort, RollbackPorts } from '../ports';
import { elbListenerTraffic, type ListenerTrafficOptions } from './elb-listener-traffic';
import { httpReleaseProbe } from './http-release-probe';
import { ledgerRollbackPort } from './ledger-rollback-port';
import { templateTaskDefinitionSource } from './template-task-definitions';

/** What the real rollback ports are built from. */
export interface RollbackPortsDeps {
  codedeploy: CodeDeployClient;
  elbv2: ElasticLoadBalancingV2Client;
  ledger: Ledger;
  clock: Clock;
  random: Random;
  actor: string;
  /** Listener URLs (local-cloud: loopback ports); default the load balancer's DNS name. */
  urlFor?: ListenerTrafficOptions['urlFor'];
  /** With `ecs`: register a task definition from the service's template for a release with none recorded. */
  ecs?: ECSClient;
  taskDefinitionTemplate?: { text: string; file: string };
  /** Another controller port (ECS-native blue/green later); default ecs-deploy's CodeDeploy adapter. */
  control?: RollbackControlPort;
}

/** The rollback ports over AWS SDK v3 clients and the ledger, for one service in one environment. */
export function createRollbackPorts(target: ServiceTarget, deps: RollbackPortsDeps): RollbackPorts {
  const context = { environment: target.environment, service: target.service };
  const ledger = ledgerRollbackPort(deps.ledger, { clock: deps.clock, random: deps.random, actor: deps.actor });
  return {
    control: deps.control ?? new CodeDeployBlueGreen(deps.codedeploy, context),
    traffic: elbListenerTraffic(deps.elbv2, {
      loadBalancer: target.loadBalancer,
      productionPort: target.productionListenerPort,
      testPort: target.testListenerPort,
      ...(deps.urlFor ? { urlFor: deps.urlFor } : {}),
    }),
    probe: httpReleaseProbe({ releasePath: target.releasePath }),
    ledger,
    ...(deps.ecs && deps.taskDefinitionTemplate
      ? {
          taskDefinitions: templateTaskDefinitionSource(target, {
            template: deps.taskDefinitionTemplate,
            taskDefinitions: new EcsTaskDefinitions(deps.ecs, context),
            release: (id) => ledger.release(id),
          }),
        }
      : {}),
  };
}
