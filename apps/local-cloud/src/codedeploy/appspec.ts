import { parse as parseYaml } from 'yaml';
import { AwsError } from '../contract';

/** What an ECS AppSpec tells CodeDeploy to deploy. */
export interface EcsAppSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  platformVersion?: string;
}

const invalid = (why: string) => new AwsError('InvalidRevisionException', `The AppSpec file is invalid: ${why}.`);

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${where} must be a mapping`);
  return value as Record<string, unknown>;
}

/**
 * Parses an ECS AppSpec (YAML or JSON: JSON is YAML) and checks what CodeDeploy needs.
 * Lambda hooks are refused rather than skipped: local-cloud runs no Lambda functions, and a deployment that
 * silently skipped its validation hooks would pass a test that AWS would run differently.
 */
export function parseEcsAppSpec(content: string): EcsAppSpec {
  let doc: unknown;
  try {
    doc = parseYaml(content);
  } catch (error) {
    throw invalid(`it is neither valid YAML nor valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const root = asRecord(doc, 'the document');
  const version = root['version'] ?? root['Version'];
  if (version === undefined) throw invalid("'version' is missing (expected 0.0)");
  const hooks = root['Hooks'] ?? root['hooks'];
  if (hooks !== undefined && hooks !== null && !(Array.isArray(hooks) && hooks.length === 0)) {
    throw invalid("'Hooks' are not supported by local-cloud (it runs no Lambda functions); remove the Hooks section");
  }
  const resources = root['Resources'] ?? root['resources'];
  if (!Array.isArray(resources) || resources.length === 0)
    throw invalid("'Resources' must be a list with one TargetService");
  if (resources.length > 1)
    throw invalid(`'Resources' must hold exactly one TargetService for ECS; found ${resources.length}`);
  const first = asRecord(resources[0], 'Resources[0]');
  const target = asRecord(first['TargetService'], 'Resources[0].TargetService');
  if (target['Type'] !== 'AWS::ECS::Service')
    throw invalid(`Resources[0].TargetService.Type must be AWS::ECS::Service; found ${JSON.stringify(target['Type'])}`);
  const props = asRecord(target['Properties'], 'Resources[0].TargetService.Properties');
  const taskDefinition = props['TaskDefinition'];
  if (typeof taskDefinition !== 'string' || taskDefinition.trim() === '')
    throw invalid('Resources[0].TargetService.Properties.TaskDefinition must be a task definition ARN');
  const lb = asRecord(props['LoadBalancerInfo'], 'Resources[0].TargetService.Properties.LoadBalancerInfo');
  const containerName = lb['ContainerName'];
  if (typeof containerName !== 'string' || containerName === '')
    throw invalid('LoadBalancerInfo.ContainerName must be a container name');
  const rawPort = lb['ContainerPort'];
  const containerPort = typeof rawPort === 'string' && /^\d+$/.test(rawPort) ? Number(rawPort) : rawPort;
  if (
    typeof containerPort !== 'number' ||
    !Number.isInteger(containerPort) ||
    containerPort < 1 ||
    containerPort > 65535
  ) {
    throw invalid(
      `LoadBalancerInfo.ContainerPort must be a port number from 1 to 65535; found ${JSON.stringify(rawPort)}`,
    );
  }
  const platformVersion = props['PlatformVersion'];
  return {
    taskDefinition,
    containerName,
    containerPort,
    ...(typeof platformVersion === 'string' ? { platformVersion } : {}),
  };
}

/** An AppSpec naming a task definition, as CodeDeploy writes for the rollback deployment's revision. */
export function renderEcsAppSpec(spec: EcsAppSpec): string {
  return JSON.stringify({
    version: '0.0',
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: spec.taskDefinition,
            LoadBalancerInfo: { ContainerName: spec.containerName, ContainerPort: spec.containerPort },
          },
        },
      },
    ],
  });
}
