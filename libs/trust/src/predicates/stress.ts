import { z } from 'zod';
import { bindingSchema, isoTime } from './binding';

/** A load test run (k6, or autocannon in rehearsal) against one environment's listener. */
export const STRESS_PREDICATE_TYPE = 'https://shipgate.dev/attestation/stress/v1';

/** The stress predicate: where the load went, what was measured, against which limits. */
export const stressPredicateSchema = bindingSchema.extend({
  result: z.enum(['PASSED', 'FAILED']),
  tool: z.object({ name: z.enum(['k6', 'autocannon']), version: z.string().optional() }),
  /** The URL the load was sent to, and the listener it belongs to when known. */
  target: z.object({ baseUrl: z.string().min(1), listenerArn: z.string().optional() }),
  startedAt: isoTime,
  finishedAt: isoTime,
  thresholds: z.array(z.object({ metric: z.string(), limit: z.string(), observed: z.string(), passed: z.boolean() })),
  /** sha256 of the raw report (k6 summary JSON) the figures were read from. */
  reportDigest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** The whole ledger record this statement signs (shipgate rebuilds the statement from it to verify). */
  record: z.record(z.string(), z.unknown()).optional(),
});

/** A stress predicate. */
export type StressPredicate = z.infer<typeof stressPredicateSchema>;
