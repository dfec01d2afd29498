import { resolve } from 'node:path';
import { renderTaskDefinition, type TaskDefinitionInput } from '@shipgate/ecs-deploy';
import { ShipgateError, resolveServiceTarget, type Release, type ServiceTarget } from '@shipgate/model';
import type { CommandContext } from '../command';
import type { LoadedConfig } from '../support/config';
import { readTaskTemplate } from '../support/task-templates';

/** What a deploy of one release needs, checked before any AWS call. */
export interface PreparedRelease {
  target: ServiceTarget;
  release: Release;
  taskDefinition: TaskDefinitionInput;
  templateFile: string;
}

/** The ledger's release lookup (a narrow view so tests and bootstrap can share it). */
export interface ReleaseLookup {
  get(idOrPrefix: string): Promise<Release>;
}

/**
 * Resolves environment and service, reads the release from the ledger, and renders the task-definition
 * template for it. Every user error (unknown service or environment, a release of another service, a
 * bad template, an image without digest) is thrown here, before anything touches the cloud.
 */
export async function prepareRelease(
  ctx: Pick<CommandContext, 'cwd'>,
  loaded: LoadedConfig,
  environment: string,
  service: string,
  releaseRef: string,
  releases: ReleaseLookup,
): Promise<PreparedRelease> {
  const target = resolveServiceTarget(loaded.config, environment, service);
  const release = await releases.get(releaseRef);
  if (release.service !== service) {
    throw new ShipgateError(
      'RELEASE_SERVICE_MISMATCH',
      `expected a release of ${service}, found ${release.id} of ${release.service}`,
      {
        hint: `List the releases of ${service} with \`shipgate release list --service ${service}\`.`,
      },
    );
  }
  const templatePath = loaded.config.services[service]!.taskDefinition;
  const templateFile = resolve(loaded.dir, templatePath);
  const text = await readTaskTemplate(loaded, service);
  const taskDefinition = renderTaskDefinition(
    text,
    {
      family: target.taskFamily,
      image: release.image,
      digest: release.digest,
      release: release.id,
      service,
      environment,
      environmentVariables: target.environmentVariables,
    },
    {
      containerName: target.containerName,
      containerPort: target.containerPort,
      sidecarImages: target.sidecarImages,
      file: templatePath,
    },
  );
  return { target, release, taskDefinition, templateFile };
}
