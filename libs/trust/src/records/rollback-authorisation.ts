import { createHash } from 'node:crypto';
import { err, ok, type Result, type RollbackAuthorisationRecord, type SignedEnvelope } from '@shipgate/model';
import { signStatement } from '../envelope';
import type { SignerPort, TargetKind, VerifiedIdentity, VerifierPort } from '../ports';
import {
  ROLLBACK_AUTHORISATION_PREDICATE_TYPE,
  type RollbackAuthorisationPredicate,
} from '../predicates/rollback-authorisation';
import { createStatement } from '../statement';
import { verifyEnvelope } from '../verify-envelope';

/** How long an authorisation is good for: long enough to paste it into a CI job, too short to keep. */
export const ROLLBACK_AUTHORISATION_TTL_MS = 10 * 60_000;
// Clocks of a laptop and a CI runner differ a little; an authorisation issued further ahead is refused.
const CLOCK_SKEW_MS = 60_000;

/** What one rollback is, as its authorisation binds it. */
export interface RollbackRequest {
  service: string;
  environment: string;
  /** The release the rollback restores (`unknown` only when the ledger knows none). */
  releaseId: string;
  /** Its image digest; for a rollback whose restored release is unknown, {@link unknownRestoreDigest}. */
  digest: string;
  reason: string;
}

/** The subject digest of a rollback that stops controller deployment `id` while the ledger knows no release. */
export function unknownRestoreDigest(environment: string, service: string, id: string): string {
  return `sha256:${createHash('sha256').update(`shipgate rollback ${environment} ${service} ${id}`).digest('hex')}`;
}

/** Signs a fresh authorisation of `request` (issued now, expiring after the TTL, with a 128-bit nonce in hex). */
export async function signRollbackAuthorisation(
  request: RollbackRequest,
  signer: SignerPort,
  context: { now: Date; nonce: string },
): Promise<SignedEnvelope> {
  const predicate: RollbackAuthorisationPredicate = {
    service: request.service,
    releaseId: request.releaseId,
    environment: request.environment,
    reason: request.reason,
    issuedAt: context.now.toISOString(),
    expiresAt: new Date(context.now.getTime() + ROLLBACK_AUTHORISATION_TTL_MS).toISOString(),
    nonce: context.nonce,
  };
  return signStatement(
    createStatement({
      subjectDigest: request.digest,
      predicateType: ROLLBACK_AUTHORISATION_PREDICATE_TYPE,
      predicate,
    }),
    [signer],
  );
}

/** Who may authorise a rollback of one environment. */
export interface RollbackAuthority {
  environment: string;
  /** trust.environments.<env>.rollback: SSH principals, lower-cased. */
  people: readonly string[];
}

/** What a verification of an authorisation needs besides the envelope. */
export interface RollbackAuthorisationContext {
  verifier: VerifierPort;
  targetKind: TargetKind;
  now: Date;
  /** Nonces of authorisations already used by rollbacks of this environment (from the ledger). */
  usedNonces: ReadonlySet<string>;
}

/** The identity an authorisation counts for, or why none does. */
export function authorisingSigner(
  signers: readonly VerifiedIdentity[],
  authority: RollbackAuthority,
): VerifiedIdentity | undefined {
  return signers.find(
    (s) =>
      (s.kind === 'ci' && s.environment === authority.environment) ||
      // The rehearsal key stands for every environment's CI, and the verifier holds it only against local-cloud.
      s.kind === 'local-rehearsal' ||
      (s.kind === 'person' && (s.principals ?? [s.name]).some((p) => authority.people.includes(p.toLowerCase()))),
  );
}

/**
 * The one check of a rollback authorisation: a DSSE envelope over a rollback-authorisation statement,
 * signed by the environment's CI identity or a person `authority` names, bound to exactly this
 * request (service, environment, release restored, its digest, reason), issued no later than now,
 * not expired, and never used before. Refusals say what was expected and what was found.
 */
export function verifyRollbackAuthorisation(
  envelope: unknown,
  request: RollbackRequest,
  authority: RollbackAuthority,
  context: RollbackAuthorisationContext,
): Result<RollbackAuthorisationRecord, string> {
  const verified = verifyEnvelope(envelope, context.verifier, {
    subjectDigest: request.digest,
    predicateType: ROLLBACK_AUTHORISATION_PREDICATE_TYPE,
    binding: { service: request.service, releaseId: request.releaseId, environment: request.environment },
    targetKind: context.targetKind,
    now: context.now,
  });
  if (!verified.ok) return err(verified.error.message);
  const p = verified.value.statement.predicate as RollbackAuthorisationPredicate;
  if (p.reason !== request.reason)
    return err(
      `expected an authorisation for the reason ${JSON.stringify(request.reason)}, found one for ${JSON.stringify(p.reason)}`,
    );
  const now = context.now.getTime();
  const issued = Date.parse(p.issuedAt);
  const expires = Date.parse(p.expiresAt);
  if (issued > now + CLOCK_SKEW_MS)
    return err(`expected an authorisation issued by now, found one issued at ${p.issuedAt}`);
  if (expires - issued > ROLLBACK_AUTHORISATION_TTL_MS)
    return err(
      `expected an authorisation valid for at most 10 minutes, found one valid from ${p.issuedAt} until ${p.expiresAt}`,
    );
  if (expires <= now) return err(`expected an unexpired authorisation, found one that expired at ${p.expiresAt}`);
  if (context.usedNonces.has(p.nonce))
    return err(`expected a fresh authorisation, found nonce ${p.nonce} already used by an earlier rollback (a replay)`);
  const signer = authorisingSigner(verified.value.signers, authority);
  if (!signer) {
    const who = verified.value.signers.map((s) => (s.kind === 'ci' ? s.name : `${s.name} (SSH ${s.keyId})`)).join(', ');
    return err(`expected a signature by ${describeAuthority(authority)}, found one by ${who}`);
  }
  return ok({
    by: signer.name,
    identity: signer.kind,
    keyId: signer.keyId,
    nonce: p.nonce,
    issuedAt: p.issuedAt,
    expiresAt: p.expiresAt,
    envelope: envelope as SignedEnvelope,
  });
}

/** "production's CI identity or one of dana, erin (SSH key)": who may authorise, in words. */
export function describeAuthority(authority: RollbackAuthority): string {
  return `${authority.environment}'s CI identity or one of ${authority.people.join(', ')} (SSH key)`;
}
