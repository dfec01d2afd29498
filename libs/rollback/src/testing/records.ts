import type { DeploymentRecord } from '@shipgate/model';

let counter = 0;

/** A ledger deployment record for tests: production, sample-service, succeeded, with a minute between each. */
export function deploymentRecord(
  releaseId: string,
  minute: number,
  patch: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  counter++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return {
    id: `dep-${releaseId}-${minute}-${counter}`,
    releaseId,
    service: 'sample-service',
    environment: 'production',
    digest: `sha256:${releaseId.padEnd(64, '0').slice(0, 64)}`,
    controller: 'codedeploy',
    kind: 'deploy',
    startedBy: 'dev@example.com',
    startedAt: at,
    finishedAt: new Date(Date.parse(at) + 30_000).toISOString(),
    outcome: 'succeeded',
    taskDefinitionArn: `td-${releaseId}`,
    ...patch,
  };
}
