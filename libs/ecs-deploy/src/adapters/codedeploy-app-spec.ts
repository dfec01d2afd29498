/** The placeholder the AppSpec carries until the task definition is registered (CodeDeploy's own convention). */
export const taskDefinitionPlaceholder = '<TASK_DEFINITION>';

/** The AppSpec (JSON text) of an ECS blue/green deployment naming the task definition, container and port. */
export function buildAppSpec(taskDefinitionArn: string, containerName: string, containerPort: number): string {
  const resources = [
    {
      TargetService: {
        Type: 'AWS::ECS::Service',
        Properties: {
          TaskDefinition: taskDefinitionArn,
          LoadBalancerInfo: { ContainerName: containerName, ContainerPort: containerPort },
        },
      },
    },
  ];
  // AppSpec's version is the number 0.0, which JSON.stringify would print as 0.
  return `{"version":0.0,"Resources":${JSON.stringify(resources)}}`;
}

/** Fills the task-definition ARN into an AppSpec made with the placeholder. */
export function fillAppSpec(appSpec: string, taskDefinitionArn: string): string {
  return appSpec.split(taskDefinitionPlaceholder).join(taskDefinitionArn);
}

/** The task-definition ARN an AppSpec names (YAML or JSON), or undefined. */
export function taskDefinitionOfAppSpec(content: string): string | undefined {
  return /"?TaskDefinition"?\s*:\s*"?([^",\s}]+)"?/.exec(content)?.[1];
}
