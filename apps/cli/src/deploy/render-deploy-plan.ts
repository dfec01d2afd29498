/** What a deploy dry run shows people: the verdict line, then the task definition and what the controller would be asked. */
export function renderDeployPlanHuman(
  headline: string,
  plan: { taskDefinition: unknown; controllerRequest: Record<string, unknown> },
): string {
  const block = (value: unknown) =>
    JSON.stringify(value, null, 2)
      .split('\n')
      .map((line) => `    ${line}`);
  return [
    headline,
    '  task definition it would register (rendered from the template, with the release image):',
    ...block(plan.taskDefinition),
    `  what it would ask the ${String(plan.controllerRequest['controller'] ?? 'deploy')} controller to start (<TASK_DEFINITION> becomes the ARN registered then):`,
    ...block(plan.controllerRequest),
  ].join('\n');
}
