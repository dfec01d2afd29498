import { z } from 'zod';
import { bindingSchema, isoTime } from './binding';

/** A release manager's yes for one release in one environment. */
export const APPROVAL_PREDICATE_TYPE = 'https://shipgate.dev/attestation/approval/v1';
/** A release manager's no; recorded so that a refusal is audited, never counted as a yes. */
export const REJECTION_PREDICATE_TYPE = 'https://shipgate.dev/attestation/rejection/v1';
/** Lifting one freeze for one release, until it expires. */
export const FREEZE_OVERRIDE_PREDICATE_TYPE = 'https://shipgate.dev/attestation/freeze-override/v1';

// Three predicate types rather than one with a `decision` field: a policy that matches on the type
// cannot count a rejection or an override as an approval by forgetting to read a field.
const decidedBy = bindingSchema.extend({
  decidedAt: isoTime,
  /** The reason the person gave, shown in the audit log. */
  reason: z.string().optional(),
  /** The whole ledger record this statement signs (shipgate rebuilds the statement from it to verify). */
  record: z.record(z.string(), z.unknown()).optional(),
});

/** The approval predicate. */
export const approvalPredicateSchema = decidedBy;
/** The rejection predicate. */
export const rejectionPredicateSchema = decidedBy.extend({ reason: z.string().min(1) });
/** The freeze-override predicate: bound to the freeze it lifts and expiring. */
export const freezeOverridePredicateSchema = decidedBy.extend({
  reason: z.string().min(1),
  /** The freeze window lifted (its name in the policy) and, when known, the occurrence's bounds. */
  freeze: z.object({ id: z.string().min(1), from: isoTime.optional(), until: isoTime.optional() }),
  expiresAt: isoTime,
});

/** An approval predicate. */
export type ApprovalPredicate = z.infer<typeof approvalPredicateSchema>;
/** A rejection predicate. */
export type RejectionPredicate = z.infer<typeof rejectionPredicateSchema>;
/** A freeze-override predicate. */
export type FreezeOverridePredicate = z.infer<typeof freezeOverridePredicateSchema>;
