import type { z } from 'zod';
import {
  APPROVAL_PREDICATE_TYPE,
  approvalPredicateSchema,
  FREEZE_OVERRIDE_PREDICATE_TYPE,
  freezeOverridePredicateSchema,
  REJECTION_PREDICATE_TYPE,
  rejectionPredicateSchema,
} from './approval';
import { AUDIT_CHECKPOINT_PREDICATE_TYPE, auditCheckpointPredicateSchema } from './audit-checkpoint';
import { DEPLOYMENT_PREDICATE_TYPE, deploymentPredicateSchema } from './deployment';
import { RELEASE_PREDICATE_TYPE, releasePredicateSchema } from './release';
import { ROLLBACK_AUTHORISATION_PREDICATE_TYPE, rollbackAuthorisationPredicateSchema } from './rollback-authorisation';
import { STRESS_PREDICATE_TYPE, stressPredicateSchema } from './stress';
import { bindingSchema, type Binding } from './binding';
import {
  qaRunOf,
  TEST_RESULT_PREDICATE_TYPE,
  testResultPredicateSchema,
  type TestResultPredicate,
} from './test-result';

/** Every predicate type shipgate reads, with its schema (docs/attestations.md describes each). */
export const predicateSchemas: Record<string, z.ZodType<Record<string, unknown>>> = {
  [TEST_RESULT_PREDICATE_TYPE]: testResultPredicateSchema,
  [STRESS_PREDICATE_TYPE]: stressPredicateSchema,
  [APPROVAL_PREDICATE_TYPE]: approvalPredicateSchema,
  [REJECTION_PREDICATE_TYPE]: rejectionPredicateSchema,
  [FREEZE_OVERRIDE_PREDICATE_TYPE]: freezeOverridePredicateSchema,
  [DEPLOYMENT_PREDICATE_TYPE]: deploymentPredicateSchema,
  [RELEASE_PREDICATE_TYPE]: releasePredicateSchema,
  [AUDIT_CHECKPOINT_PREDICATE_TYPE]: auditCheckpointPredicateSchema,
  [ROLLBACK_AUTHORISATION_PREDICATE_TYPE]: rollbackAuthorisationPredicateSchema,
};

/** The release + environment a predicate is bound to, whatever its type; undefined if it names none. */
export function bindingOf(predicateType: string, predicate: Record<string, unknown>): Binding | undefined {
  if (predicateType === TEST_RESULT_PREDICATE_TYPE) return qaRunOf(predicate as TestResultPredicate);
  const parsed = bindingSchema.safeParse(predicate);
  return parsed.success ? parsed.data : undefined;
}
