import type { DeployReport } from '@shipgate/ecs-deploy';
import { formatDuration } from '@shipgate/model';
import type { DeploymentRecord } from '@shipgate/model';

const verdicts: Record<DeployReport['outcome'], string> = {
  succeeded: 'succeeded',
  'traffic-shifted': 'production traffic moved (the original stays up while it bakes: rollback is instant until then)',
  'already-running': 'nothing to do: the release already runs and nothing is in flight',
  failed: 'FAILED',
  'rolled-back': 'FAILED and rolled back',
};

/** The deploy's result for people. */
export function renderDeployHuman(report: DeployReport, record: DeploymentRecord): string {
  const lines = [
    `deploy ${report.releaseId} to ${record.environment}: ${verdicts[report.outcome]}`,
    `  deployment ${report.deploymentId ?? '(none)'}${report.attached ? ' (attached)' : ''}, ${formatDuration(report.durationMs)} of a ${formatDuration(report.budgetMs)} budget, ledger record ${record.id}`,
  ];
  if (report.trafficTimeline.length)
    lines.push(`  traffic: ${report.trafficTimeline.map((p) => `${p.green}%@${formatDuration(p.atMs)}`).join(' → ')}`);
  if (report.verification)
    lines.push(
      `  verification: ${report.verification.succeeded}/${report.verification.requests} requests through the test listener named ${report.releaseId}`,
    );
  if (report.failure) lines.push(`  why: ${report.failure.summary}`, ...report.failure.lines.map((l) => `    ${l}`));
  if (report.failure)
    lines.push(`  next: fix the release and create a new one; production still serves the previous release.`);
  return lines.join('\n');
}

/** The deploy's result as Markdown for the GitHub job summary. */
export function renderDeploySummary(report: DeployReport, record: DeploymentRecord): string {
  const rows = [
    ['release', report.releaseId],
    ['environment', record.environment],
    ['outcome', report.outcome],
    [`${report.controller === 'ecs' ? 'ECS' : 'CodeDeploy'} deployment`, report.deploymentId ?? ''],
    ['duration', `${formatDuration(report.durationMs)} (budget ${formatDuration(report.budgetMs)})`],
  ];
  const table = ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  return `### shipgate deploy\n\n${table}\n${report.failure ? `\n**Why it failed:** ${report.failure.summary}\n\n${report.failure.lines.map((l) => `- ${l}`).join('\n')}\n` : ''}`;
}
