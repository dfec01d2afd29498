import type { DeploymentRecord } from '@shipgate/model';
import type { VerifiedIdentity } from '../ports';
import { DEPLOYMENT_PREDICATE_TYPE } from '../predicates/deployment';
import { createStatement } from '../statement';
import { verifyRecord, type RecordCodec, type RecordRefusal } from '../signed-record';
import type { TargetKind, VerifierPort } from '../ports';

/** Deployment outcomes that are final, and so signed. */
export function isFinishedDeployment(d: Pick<DeploymentRecord, 'outcome'>): boolean {
  return d.outcome !== 'in-progress';
}

function isDeploymentRecord(value: unknown): value is DeploymentRecord {
  const v = value as Partial<DeploymentRecord> | undefined;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.releaseId === 'string';
}

/** A finished deployment (deploy or rollback) as a shipgate deployment statement about the image digest. */
export const deploymentCodec: RecordCodec<DeploymentRecord> = {
  what: 'a deployment outcome',
  statementOf(d) {
    const { envelope: _omit, ...record } = d;
    return createStatement({
      subjectDigest: d.digest,
      predicateType: DEPLOYMENT_PREDICATE_TYPE,
      predicate: {
        service: d.service,
        releaseId: d.releaseId,
        environment: d.environment,
        deploymentId: d.id,
        kind: d.kind,
        outcome: d.outcome,
        startedAt: d.startedAt,
        finishedAt: d.finishedAt ?? d.startedAt,
        controller: {
          name: d.controller,
          ...(d.controllerDeploymentId ? { deploymentId: d.controllerDeploymentId } : {}),
        },
        breakGlass: d.breakGlass !== undefined,
        record,
      },
    });
  },
  recordOf: (statement) => (isDeploymentRecord(statement.predicate.record) ? statement.predicate.record : undefined),
};

/** Undefined when a signer is the CI identity of the deployment's environment (or the rehearsal key the verifier holds). */
export function deploymentSignerProblem(signers: VerifiedIdentity[], d: DeploymentRecord): string | undefined {
  const ok = signers.some((s) => (s.kind === 'ci' && s.environment === d.environment) || s.kind === 'local-rehearsal');
  return ok
    ? undefined
    : `expected deployment ${d.id} signed by ${d.environment}'s CI identity, found it signed by ${signers.map((s) => s.name).join(', ')}`;
}

/**
 * Verifies one stored deployment record: a finished one must be signed by its environment's CI identity
 * over its whole content. In-progress records are never signed and never prove that a release served.
 */
export function verifyDeployment(
  stored: DeploymentRecord,
  verifier: VerifierPort,
  context: { targetKind: TargetKind; now: Date },
): { ok: true; deployment: DeploymentRecord } | { ok: false; refusal: RecordRefusal } {
  const result = verifyRecord(stored, deploymentCodec, verifier, {
    subjectDigest: stored.digest,
    predicateType: DEPLOYMENT_PREDICATE_TYPE,
    binding: { service: stored.service, releaseId: stored.releaseId, environment: stored.environment },
    targetKind: context.targetKind,
    now: context.now,
    mayHaveSigned: deploymentSignerProblem,
  });
  return result.ok ? { ok: true, deployment: result.value.record } : { ok: false, refusal: result.error };
}

/** The newest succeeded deploy or rollback among `deployments` that finished by `at`: what served then. */
export function servingAt(deployments: readonly DeploymentRecord[], at: Date): DeploymentRecord | undefined {
  let best: DeploymentRecord | undefined;
  for (const d of deployments) {
    if (d.outcome !== 'succeeded' || !d.finishedAt) continue;
    const finished = Date.parse(d.finishedAt);
    if (finished > at.getTime()) continue;
    if (!best || finished > Date.parse(best.finishedAt!)) best = d;
  }
  return best;
}
