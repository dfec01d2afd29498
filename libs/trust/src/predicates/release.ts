import { z } from 'zod';
import { isoTime } from './binding';

/** A release candidate: service, image pinned by digest, source commit and its authors. */
export const RELEASE_PREDICATE_TYPE = 'https://shipgate.dev/attestation/release/v1';

/** The release predicate. */
export const releasePredicateSchema = z.object({
  service: z.string().min(1),
  releaseId: z.string().min(1),
  /** The full image reference including `@sha256:`. */
  image: z.string().min(1),
  gitSha: z.string().optional(),
  /** The commit authors (from the commit, never the merger): they may not approve this release. */
  authors: z.array(z.string()),
  createdAt: isoTime,
  /** sha256 of the canonical configuration the release was created under. */
  configDigest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  /** The whole ledger record this statement signs (shipgate rebuilds the statement from it to verify). */
  record: z.record(z.string(), z.unknown()).optional(),
});

/** A release predicate. */
export type ReleasePredicate = z.infer<typeof releasePredicateSchema>;
