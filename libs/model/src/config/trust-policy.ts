import { z } from 'zod';
import { identifierText } from './text-schemas';

const envName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected lower-case letters, digits and dashes, starting with a letter');

const repoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    message: 'expected a path inside the repository, relative to shipgate.yaml (no leading / and no ..)',
  });

const person = identifierText.describe(
  'A login as it appears as a principal in the allowed-signers file (alice), or a team reference declared under promotion.approvals.teams.',
);

/** The CI identity of one environment: the only key whose records count as that environment's QA, stress and deployment facts. */
export const ciIdentitySchema = z
  .strictObject({
    publicKey: repoPath.describe(
      "Path (relative to shipgate.yaml) of the PEM public key (SubjectPublicKeyInfo) of the environment's CI signing key: for AWS KMS, what `aws kms get-public-key` returns. Records signed by any other key never count as this environment's evidence.",
    ),
    kmsKeyId: z
      .string()
      .min(1)
      .describe(
        "The AWS KMS key (id, ARN or alias/…; ECC_NIST_P256, SIGN_VERIFY) that `shipgate qa`, `shipgate stress`, `shipgate evidence add` and deploys sign this environment's records with; its key policy lets only this environment's CI role call kms:Sign.",
      ),
    description: z
      .string()
      .optional()
      .describe('Who holds the key, for people reading decisions (e.g. "GitHub Actions environment staging").'),
  })
  .describe("The environment's CI identity (docs/security.md: a KMS key per environment).");

/** Who may do what in one environment, besides approving (promotion.approvals) and overriding a freeze (promotion.emergencyOverride). */
export const trustEnvironmentSchema = z
  .strictObject({
    ci: ciIdentitySchema.optional(),
    breakGlass: z
      .array(person)
      .default([])
      .describe(
        'People whose SSH-signed override (`shipgate approve <env> --break-glass`) lets `rollback --to R --force` or `deploy --break-glass` take a release that never passed the gate for this environment; recorded as break-glass, never last known good until a later deploy of it passes the gate.',
      ),
    rollback: z
      .array(person)
      .default([])
      .describe(
        "People who may roll this environment back: `shipgate rollback` then needs an authorisation signed with the SSH key of one of them (--key, ssh-agent) or with the environment's CI key (--ci), fresh and used once; --as counts for nothing. Empty means anyone with access to the environment's AWS role.",
      ),
  })
  .describe('Trust policy of one environment.');

/**
 * The build's CI identity: the only key whose signature makes a release record (its image, git SHA and
 * commit authors) count. Its own identity rather than an environment's: the build job exists before any
 * environment has seen the release, and no deploy or evidence role should be able to mint releases.
 */
export const trustBuildSchema = z
  .strictObject({
    ci: ciIdentitySchema.describe(
      "The build job's CI identity (a KMS key only the build's release-signing role may use): `shipgate release create` signs every release with it.",
    ),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as eu-west-1')
      .optional()
      .describe("AWS region of the build's KMS key; default: the region of the first environment."),
  })
  .describe('Who signs releases: the build CI identity (docs/security.md, "Releases").');

/**
 * The trust policy: which verified identities the gate, rollback and `audit verify` believe, per
 * environment. Identities come from signatures (docs/security.md), never from `--as`.
 */
export const trustSchema = z
  .strictObject({
    allowedSigners: repoPath.describe(
      "Path (relative to shipgate.yaml) of the OpenSSH allowed-signers file holding release managers' SSH public keys; its principals are the logins named in promotion.approvals and emergencyOverride. Changes to it go through code review.",
    ),
    namespace: z
      .string()
      .regex(/^[a-z0-9.@-]+$/, 'expected an SSHSIG namespace such as shipgate-approval')
      .default('shipgate-approval')
      .describe('SSHSIG namespace of approvals, rejections and overrides (`ssh-keygen -Y sign -n`).'),
    build: trustBuildSchema.optional(),
    environments: z
      .record(envName, trustEnvironmentSchema)
      .default({})
      .describe('Per environment: its CI identity and who may break glass or roll back.'),
  })
  .superRefine((trust, ctx) => {
    // One key, one identity: a verifier keyed by public key keeps only one of two identities sharing it,
    // so a key declared twice would let one role's signature stand for the other's.
    const seen = new Map<string, string>();
    const declare = (what: string, field: string, value: string, path: (string | number)[]) => {
      const earlier = seen.get(`${field} ${value}`);
      if (earlier)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `expected a key of its own for ${what} (one key, one identity), not the ${field} ${earlier} already uses`,
        });
      else seen.set(`${field} ${value}`, what);
    };
    const ids = [
      ...(trust.build?.ci ? [['the build', trust.build.ci, ['build', 'ci']] as const] : []),
      ...Object.entries(trust.environments).flatMap(([env, t]) =>
        t.ci ? [[`environment ${env}`, t.ci, ['environments', env, 'ci']] as const] : [],
      ),
    ];
    for (const [what, ci, path] of ids) declare(what, 'publicKey', ci.publicKey, [...path, 'publicKey']);
    for (const [what, ci, path] of ids) declare(what, 'kmsKeyId', ci.kmsKeyId, [...path, 'kmsKeyId']);
  })
  .describe('Who may sign what: CI identities per environment and the release managers’ allowed-signers file.');

/** The `trust` section, defaults applied. */
export type TrustConfig = z.infer<typeof trustSchema>;
/** One environment's trust policy. */
export type TrustEnvironmentConfig = z.infer<typeof trustEnvironmentSchema>;
/** The build's trust policy (who signs releases). */
export type TrustBuildConfig = z.infer<typeof trustBuildSchema>;
/** One environment's CI identity. */
export type CiIdentityConfig = z.infer<typeof ciIdentitySchema>;
