import { z } from 'zod';

/**
 * What every shipgate predicate is bound to besides the image digest in the subject: the release and
 * the environment. A new release of the same image, or another environment, is another statement.
 */
export const bindingSchema = z.object({
  service: z.string().min(1),
  releaseId: z.string().min(1),
  environment: z.string().min(1),
});

/** Release + environment binding. */
export type Binding = z.infer<typeof bindingSchema>;

/** An ISO-8601 UTC timestamp. */
export const isoTime = z.iso.datetime();
