import { z } from 'zod';
import { resourceDescriptorSchema } from '../statement';
import { bindingSchema, isoTime } from './binding';

/** in-toto's test-result predicate: one run of a test suite (QA evidence). */
export const TEST_RESULT_PREDICATE_TYPE = 'https://in-toto.io/attestation/test-result/v0.1';

/** The predicate as the in-toto spec defines it (v0.1); unknown fields are kept, as its parsing rules ask. */
export const testResultPredicateSchema = z.looseObject({
  result: z.enum(['PASSED', 'WARNED', 'FAILED']),
  configuration: z.array(resourceDescriptorSchema),
  url: z.string().optional(),
  passedTests: z.array(z.string()).optional(),
  warnedTests: z.array(z.string()).optional(),
  failedTests: z.array(z.string()).optional(),
});

/** A test-result predicate. */
export type TestResultPredicate = z.infer<typeof testResultPredicateSchema>;

/**
 * The in-toto predicate has no field for shipgate's binding, so QA statements carry it in the
 * `configuration` list, as the run's own descriptor: name `shipgate-qa`, the binding and the QA
 * command's exit code in its annotations. Other tools read it as one more configuration entry.
 */
export const QA_CONFIGURATION_NAME = 'shipgate-qa';

/** The annotations of the `shipgate-qa` configuration entry. */
export const qaRunAnnotationsSchema = bindingSchema.extend({
  /** The QA command `shipgate qa` ran; absent for a report recorded with `evidence add`. */
  command: z.string().optional(),
  exitCode: z.number().int().optional(),
  startedAt: isoTime,
  finishedAt: isoTime,
});

/** The binding and run facts of a QA statement, or undefined when it carries none. */
export function qaRunOf(predicate: TestResultPredicate): z.infer<typeof qaRunAnnotationsSchema> | undefined {
  const entry = predicate.configuration.find((c) => c.name === QA_CONFIGURATION_NAME);
  const parsed = qaRunAnnotationsSchema.safeParse(entry?.annotations);
  return parsed.success ? parsed.data : undefined;
}
