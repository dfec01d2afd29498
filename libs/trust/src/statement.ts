import { z } from 'zod';

/** The `_type` of an in-toto Statement v1. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

const sha256Hex = /^[0-9a-f]{64}$/;

/** An in-toto ResourceDescriptor (the fields shipgate uses; unknown ones are kept). */
export const resourceDescriptorSchema = z
  .looseObject({
    name: z.string().optional(),
    uri: z.string().optional(),
    digest: z.record(z.string(), z.string()).optional(),
    downloadLocation: z.string().optional(),
    mediaType: z.string().optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((d) => d.uri !== undefined || d.digest !== undefined || 'content' in d, {
    message: 'a ResourceDescriptor needs one of uri, digest or content',
  });

/** A ResourceDescriptor: a pointer to an artifact or resource. */
export type ResourceDescriptor = z.infer<typeof resourceDescriptorSchema>;

/** The subject of a shipgate statement: one artifact, pinned by sha256. */
export const subjectSchema = z.looseObject({
  name: z.string().optional(),
  digest: z.looseObject({ sha256: z.string().regex(sha256Hex, 'sha256 as 64 lowercase hex') }),
});

/** An in-toto Statement v1 with its predicate still unparsed. */
export const statementSchema = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z.array(subjectSchema).min(1),
  predicateType: z.string().min(1),
  // Only "an object" here: the predicate's own schema (predicate-registry) reads it field by field.
  predicate: z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object')
    .optional(),
});

/** An in-toto Statement v1 whose predicate has type P. */
export interface Statement<P = Record<string, unknown>> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: { name?: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: P;
}

/** What a statement is about and what it says. */
export interface StatementInput<P> {
  /** `sha256:<64 hex>` (as Release.digest holds it) or the bare 64 hex. */
  subjectDigest: string;
  /** The artifact's name, e.g. the image repository; `_` when it means nothing. */
  subjectName?: string;
  predicateType: string;
  predicate: P;
}

/** An in-toto Statement v1 about one artifact. Throws on a digest that is not sha256 (a caller's bug). */
export function createStatement<P>(input: StatementInput<P>): Statement<P> {
  const hex = bareSha256(input.subjectDigest);
  if (!hex)
    throw new TypeError(`subject digest: expected sha256:<64 hex>, found ${JSON.stringify(input.subjectDigest)}`);
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ ...(input.subjectName ? { name: input.subjectName } : {}), digest: { sha256: hex } }],
    predicateType: input.predicateType,
    predicate: input.predicate,
  };
}

/** The 64 lowercase hex of `sha256:<hex>` or `<hex>`, or undefined when it is neither. */
export function bareSha256(digest: string): string | undefined {
  const hex = digest.startsWith('sha256:') ? digest.slice('sha256:'.length) : digest;
  return sha256Hex.test(hex) ? hex : undefined;
}
