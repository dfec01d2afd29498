import { z } from 'zod';
import { identifierProblem } from '../identifier';
import { parseImageReference } from '../image-reference';

/** A name shown in output and recorded in the ledger: non-empty, no control characters (#11 item 15). */
export const identifierText = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = identifierProblem(value, 'a name');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An image reference by the OCI grammar, pinned by digest (#11 item 16). */
export const pinnedImageText = z.string().superRefine((value, ctx) => {
  const parsed = parseImageReference(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  else if (parsed.value.digest === undefined)
    ctx.addIssue({
      code: 'custom',
      message: 'expected an image pinned by digest (name@sha256:<64 hex>); a tag can move',
    });
});
