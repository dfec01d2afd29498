import { configSchema, resolveServiceTarget, type ServiceTarget } from '@shipgate/model';
import { renderTaskDefinition } from '../render-task-definition';

/** A config with the sample service in test (all at once) and production (linear, alarm). */
export function sampleTarget(environment: 'test' | 'production' = 'test', deploy: Record<string, unknown> = {}): ServiceTarget {
  const config = configSchema.parse({
    version: 1,
    project: 'demo',
    services: { api: { containerName: 'app', containerPort: 8080, taskDefinition: 'taskdef.json' } },
    environments: {
      test: { dataPolicy: 'synthetic', services: { api: { productionListenerPort: 18080, testListenerPort: 18081 } }, deploy: { readinessWait: '10m', terminationWait: '1m', ...deploy } },
      production: {
        dataPolicy: 'real',
        services: { api: { productionListenerPort: 18280, testListenerPort: 18281 } },
        deploy: { deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes', readinessWait: '10m', terminationWait: '5m', alarms: ['demo-5xx'], ...deploy },
      },
    },
  });
  return resolveServiceTarget(config, environment, 'api');
}

/** A task-definition template like apps/sample-service/taskdef.json. */
export const templateText = JSON.stringify(
  {
    family: '{{family}}',
    networkMode: 'awsvpc',
    containerDefinitions: [
      {
        name: 'app',
        image: '{{image}}',
        portMappings: [{ containerPort: 8080 }],
        environment: [
          { name: 'SHIPGATE_RELEASE', value: '{{release}}' },
          { name: 'SHIPGATE_DIGEST', value: '{{digest}}' },
        ],
      },
    ],
  },
  null,
  2,
);

export const digestA = `sha256:${'a'.repeat(64)}`;
export const digestB = `sha256:${'b'.repeat(64)}`;

/** A release of `api` pinned by `digest`. */
export function release(id: string, digest: string) {
  return { id, service: 'api', image: `registry.example/api@${digest}`, digest };
}

/** The first task definition bootstrap creates `target`'s service with: release `rel-a` of digest A, rendered. */
export function initialTaskDefinitionFor(target: ServiceTarget) {
  const rel = release('rel-a', digestA);
  return renderTaskDefinition(
    templateText,
    {
      family: target.taskFamily,
      image: rel.image,
      digest: digestA,
      release: rel.id,
      service: target.service,
      environment: target.environment,
    },
    { containerName: 'app', containerPort: 8080 },
  );
}
