/** What a deploy dry run shows people: the verdict line, then the task definition and AppSpec it would use. */
export function renderDeployPlanHuman(headline: string, plan: { taskDefinition: unknown; appSpec: unknown }): string {
  const block = (value: unknown) =>
    JSON.stringify(value, null, 2)
      .split('\n')
      .map((line) => `    ${line}`);
  return [
    headline,
    '  task definition it would register (rendered from the template, with the release image):',
    ...block(plan.taskDefinition),
    '  AppSpec it would hand CodeDeploy (<TASK_DEFINITION> becomes the ARN registered then):',
    ...block(plan.appSpec),
  ].join('\n');
}
