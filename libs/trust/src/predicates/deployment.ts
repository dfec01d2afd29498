import { z } from 'zod';
import { bindingSchema, isoTime } from './binding';

/** The outcome of one deployment: the proof that a release served in an environment, and when. */
export const DEPLOYMENT_PREDICATE_TYPE = 'https://shipgate.dev/attestation/deployment/v1';

/** The deployment predicate. */
export const deploymentPredicateSchema = bindingSchema.extend({
  deploymentId: z.string().min(1),
  kind: z.enum(['deploy', 'rollback']),
  outcome: z.enum(['succeeded', 'failed', 'rolled-back', 'stopped']),
  startedAt: isoTime,
  finishedAt: isoTime,
  controller: z.object({ name: z.enum(['codedeploy', 'ecs']), deploymentId: z.string().optional() }),
  /** The production listener and test listener the release answered on. */
  listeners: z.object({ production: z.string().optional(), test: z.string().optional() }).optional(),
  /** True when this deploy or rollback bypassed the gate (break glass). */
  breakGlass: z.boolean(),
  /** The digest of the gate decision it rests on, when there was one. */
  decisionDigest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  /** The whole ledger record this statement signs (shipgate rebuilds the statement from it to verify). */
  record: z.record(z.string(), z.unknown()).optional(),
});

/** A deployment predicate. */
export type DeploymentPredicate = z.infer<typeof deploymentPredicateSchema>;
