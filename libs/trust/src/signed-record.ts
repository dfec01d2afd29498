import { canonicalJson, err, ok, type Result, type SignedEnvelope } from '@shipgate/model';
import { signStatement } from './envelope';
import type { SignerPort, VerifiedIdentity, VerifierPort } from './ports';
import type { Statement } from './statement';
import { verifyEnvelope, type EnvelopeExpectation, type EnvelopeFailure } from './verify-envelope';

/**
 * How one kind of ledger record (evidence, a release, a deployment outcome) becomes a statement and
 * back. The statement is a pure function of the record and carries the whole record, so that the
 * signature covers every field and a verifier can rebuild the statement to check nothing was added.
 */
export interface RecordCodec<R> {
  /** What the record is, in words (`QA evidence`, `a deployment outcome`). */
  what: string;
  statementOf(record: R): Statement<Record<string, unknown>>;
  /** The record a statement carries, or undefined when it carries none this codec reads. */
  recordOf(statement: Statement<Record<string, unknown>>): R | undefined;
}

/** A ledger record with the envelope that signs it. */
export type Signed<R> = R & { envelope: SignedEnvelope };

/** Signs a record: the envelope over its statement is stored beside the record's own fields. */
export async function signRecord<R extends object>(
  record: R,
  codec: RecordCodec<R>,
  signers: SignerPort[],
): Promise<Signed<R>> {
  const { envelope: _unsigned, ...bare } = record as R & { envelope?: unknown };
  const envelope = await signStatement(codec.statementOf(bare as R), signers);
  return { ...(bare as R), envelope };
}

/** What a verified record must also satisfy, besides the envelope expectation. */
export interface RecordExpectation<R> extends EnvelopeExpectation {
  /** Undefined when the signed record is the one being verified (e.g. its id); checked before the fields, so a replayed envelope says so. */
  sameRecord?(signed: R): string | undefined;
  /** Undefined when one of the verified signers may sign this record; else why not, as expected vs found. */
  mayHaveSigned?(signers: VerifiedIdentity[], record: R): string | undefined;
}

/**
 * Why a record does not count. `tampered`: a signed record was altered (a field, its statement, or a
 * signature that no longer verifies): someone edited the ledger. `untrusted`: nobody the policy
 * names signed it (unsigned, an unknown key, a key not allowed for this target or this role).
 */
export interface RecordRefusal {
  class: 'tampered' | 'untrusted';
  reason: EnvelopeFailure['reason'] | 'unsigned' | 'record-mismatch' | 'signer-role';
  /** Expected versus found. */
  message: string;
}

const untrustedReasons = new Set<EnvelopeFailure['reason']>([
  'unknown-key',
  'signer-not-allowed',
  'key-not-allowed-for-target',
]);

/**
 * The one verification of a stored ledger record, used by the gate, rollback and `audit verify`:
 * the envelope (signature by a key the policy names, subject digest, predicate type, binding), then
 * the record it carries (its statement must be exactly the one the record gives, and every field of
 * the stored file must equal the signed one), then the signer's role. Returns the signed record.
 */
export function verifyRecord<R extends object>(
  stored: R & { envelope?: SignedEnvelope },
  codec: RecordCodec<R>,
  verifier: VerifierPort,
  expect: RecordExpectation<R>,
): Result<{ record: R; signers: VerifiedIdentity[] }, RecordRefusal> {
  if (!stored.envelope) {
    return err({
      class: 'untrusted',
      reason: 'unsigned',
      message: `expected ${codec.what} signed by an identity the trust policy names, found an unsigned record`,
    });
  }
  const verified = verifyEnvelope(stored.envelope, verifier, expect);
  if (!verified.ok) {
    const { reason, message } = verified.error;
    return err({ class: untrustedReasons.has(reason) ? 'untrusted' : 'tampered', reason, message });
  }
  const { statement, signers } = verified.value;
  const record = codec.recordOf(statement);
  if (!record) {
    return err({
      class: 'tampered',
      reason: 'record-mismatch',
      message: `expected the signed statement to carry ${codec.what}, found none`,
    });
  }
  if (canonicalJson(codec.statementOf(record)) !== canonicalJson(statement)) {
    return err({
      class: 'tampered',
      reason: 'record-mismatch',
      message: `expected the signed statement to be the one its record gives, found one with other fields`,
    });
  }
  const other = expect.sameRecord?.(record);
  if (other) return err({ class: 'tampered', reason: 'record-mismatch', message: other });
  const field = firstDifference(record, stored);
  if (field) {
    return err({
      class: 'tampered',
      reason: 'record-mismatch',
      message: `expected ${field.key} ${field.signed} (as signed), found ${field.found} in the stored record`,
    });
  }
  const refusal = expect.mayHaveSigned?.(signers, record);
  if (refusal) return err({ class: 'untrusted', reason: 'signer-role', message: refusal });
  return ok({ record, signers });
}

/** The first top-level field (sorted) whose value differs between the signed record and the stored file. */
function firstDifference(signed: object, stored: object): { key: string; signed: string; found: string } | undefined {
  const a = signed as Record<string, unknown>;
  const b = stored as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'envelope').sort();
  for (const key of keys) {
    const left = a[key] === undefined ? 'absent' : canonicalJson(a[key]);
    const right = b[key] === undefined ? 'absent' : canonicalJson(b[key]);
    if (left !== right) return { key, signed: clip(left), found: clip(right) };
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
