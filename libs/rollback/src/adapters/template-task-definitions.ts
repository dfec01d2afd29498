import { renderTaskDefinition } from '@shipgate/ecs-deploy';
import { ShipgateError, type Release, type ServiceTarget } from '@shipgate/model';
import type { TaskDefinitionSourcePort } from '../ports';

/** What rendering a task definition for a release needs: the service's template and the ledger's releases. */
export interface TemplateTaskDefinitionDeps {
  template: { text: string; file: string };
  /** The release's image when the plan does not carry it (a last known good found by deployment record). */
  release(id: string): Promise<Release | undefined>;
}

/** Renders the service's task-definition template for a release with none recorded (the deploy engine registers it). */
export function templateTaskDefinitionSource(
  target: ServiceTarget,
  deps: TemplateTaskDefinitionDeps,
): TaskDefinitionSourcePort {
  return {
    async taskDefinitionFor(release) {
      const image = release.image ?? (await deps.release(release.id))?.image;
      if (!image) {
        throw new ShipgateError(
          'RELEASE_NOT_FOUND',
          `expected release ${release.id} in the ledger to know its image, found no such release`,
          { hint: 'Check --state, or roll back with --to a release the ledger holds.' },
        );
      }
      return renderTaskDefinition(
        deps.template.text,
        {
          family: target.taskFamily,
          image,
          digest: release.digest,
          release: release.id,
          service: target.service,
          environment: target.environment,
          environmentVariables: target.environmentVariables,
        },
        {
          containerName: target.containerName,
          containerPort: target.containerPort,
          sidecarImages: target.sidecarImages,
          file: deps.template.file,
        },
      );
    },
  };
}
