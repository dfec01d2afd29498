import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DeployPorts } from '@shipgate/ecs-deploy';
import type { Ledger } from '@shipgate/ledger';
import type { Clock, Random, ServiceTarget } from '@shipgate/model';
import type { RollbackPorts } from '../ports';
import { elbListenerTraffic, type ListenerTrafficOptions } from './elb-listener-traffic';
import { httpReleaseProbe } from './http-release-probe';
import { ledgerRollbackPort } from './ledger-rollback-port';
import { templateTaskDefinitionSource } from './template-task-definitions';

/** What the real rollback ports are built from. */
export interface RollbackPortsDeps {
  /** The deploy engine's ports (ecs-deploy's createAwsDeployPorts), with the environment's controller. */
  deploy: DeployPorts;
  elbv2: ElasticLoadBalancingV2Client;
  ledger: Ledger;
  clock: Clock;
  random: Random;
  actor: string;
  /** Listener URLs (local-cloud: loopback ports); default the load balancer's DNS name. */
  urlFor?: ListenerTrafficOptions['urlFor'];
  /** Renders a task definition from the service's template for a release with none recorded. */
  taskDefinitionTemplate?: { text: string; file: string };
}

/** The rollback ports over AWS SDK v3 clients, the deploy engine's ports and the ledger, for one service in one environment. */
export function createRollbackPorts(target: ServiceTarget, deps: RollbackPortsDeps): RollbackPorts {
  const ledger = ledgerRollbackPort(deps.ledger, { clock: deps.clock, random: deps.random, actor: deps.actor });
  return {
    deploy: deps.deploy,
    traffic: elbListenerTraffic(deps.elbv2, {
      loadBalancer: target.loadBalancer,
      productionPort: target.productionListenerPort,
      testPort: target.testListenerPort,
      ...(deps.urlFor ? { urlFor: deps.urlFor } : {}),
    }),
    probe: httpReleaseProbe({ releasePath: target.releasePath }),
    ledger,
    ...(deps.taskDefinitionTemplate
      ? {
          taskDefinitions: templateTaskDefinitionSource(target, {
            template: deps.taskDefinitionTemplate,
            release: (id) => ledger.release(id),
          }),
        }
      : {}),
  };
}
