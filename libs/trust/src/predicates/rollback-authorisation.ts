import { z } from 'zod';
import { bindingSchema, isoTime } from './binding';

/**
 * Someone the trust policy names (or the environment's CI identity) says: roll this service in this
 * environment back to this release, for this reason, now. Short-lived and single-use.
 */
export const ROLLBACK_AUTHORISATION_PREDICATE_TYPE = 'https://shipgate.dev/attestation/rollback-authorisation/v1';

/** The rollback-authorisation predicate: bound to service, environment and the release restored. */
export const rollbackAuthorisationPredicateSchema = bindingSchema.extend({
  /** The reason the on-call engineer gave; the rollback must carry the same one. */
  reason: z.string().min(1),
  issuedAt: isoTime,
  expiresAt: isoTime,
  /** 128 random bits in hex: a rollback whose nonce the ledger already holds is a replay. */
  nonce: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lowercase hex digits'),
});

/** A rollback-authorisation predicate. */
export type RollbackAuthorisationPredicate = z.infer<typeof rollbackAuthorisationPredicateSchema>;
